package io.github.clusterstarter.testapp;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers a {@code testapp.process.id} gauge of this process's pid, which tells the
 * workers' metrics apart for certain: unlike their start times, no two live processes
 * share a pid.
 */
@Configuration(proxyBeanMethods = false)
class ProcessIdGauge {

	@Bean
	MeterBinder processIdMeter() {
		long pid = ProcessHandle.current().pid();
		return (registry) -> Gauge.builder("testapp.process.id", () -> pid).register(registry);
	}

}
