package io.github.clusterstarter.testapp;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers {@code testapp.meters} gauges named {@code testapp.filler}, each with tags of
 * its own, for a scrape of about 100 bytes per gauge, on with
 * {@code --testapp.meters=N}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("testapp.meters")
class ManyMeters {

	@Bean
	MeterBinder fillerGauges(@Value("${testapp.meters}") int count) {
		return (registry) -> {
			for (int i = 0; i < count; i++) {
				int value = i;
				Gauge.builder("testapp.filler", () -> value)
					.tag("customer", "customer-%05d".formatted(i))
					.tag("endpoint", "/api/customers/%05d/orders".formatted(i))
					.tag("region", "eu-west-1")
					.register(registry);
			}
		};
	}

}
