package io.github.clusterstarter.autoconfigure;

import io.github.clusterstarter.metrics.ClusterMeterBinder;
import io.github.clusterstarter.metrics.ClusterPrometheusEndpoint;
import io.github.clusterstarter.metrics.ClusterScrape;
import io.github.clusterstarter.metrics.ScrapeResponder;
import io.github.clusterstarter.worker.ClusterControl;
import io.github.clusterstarter.worker.MasterConnection;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of the cluster's Micrometer meters and of the cluster-wide Prometheus scrape.
 */
@AutoConfiguration(after = ClusterWorkerAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration")
@ConditionalOnClass(MeterBinder.class)
public final class ClusterMetricsAutoConfiguration {

	@Bean
	@ConditionalOnBean(ClusterControl.class)
	@ConditionalOnMissingBean
	ClusterMeterBinder clusterMeterBinder(ClusterControl control,
			@Qualifier(ClusterWorkerAutoConfiguration.SCHEDULER_BEAN_NAME) ThreadPoolTaskScheduler scheduler) {
		return new ClusterMeterBinder(control, scheduler);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(PrometheusMeterRegistry.class)
	@ConditionalOnBean(PrometheusMeterRegistry.class)
	static class PrometheusScrapeConfiguration {

		@Bean
		@ConditionalOnBean(MasterConnection.class)
		ScrapeResponder clusterScrapeResponder(MasterConnection connection, PrometheusMeterRegistry registry,
				@Qualifier(ClusterWorkerAutoConfiguration.SCHEDULER_BEAN_NAME) ThreadPoolTaskScheduler scheduler) {
			return new ScrapeResponder(connection, registry::scrape, scheduler);
		}

		@Bean
		@ConditionalOnBean(MasterConnection.class)
		ClusterScrape clusterScrape(MasterConnection connection) {
			return new ClusterScrape(connection);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ PrometheusMeterRegistry.class, ConditionalOnAvailableEndpoint.class })
	@ConditionalOnBean(PrometheusMeterRegistry.class)
	@ConditionalOnAvailableEndpoint(ClusterPrometheusEndpoint.class)
	static class PrometheusEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ClusterPrometheusEndpoint clusterPrometheusEndpoint(ObjectProvider<ClusterScrape> clusterScrape,
				PrometheusMeterRegistry registry) {
			return new ClusterPrometheusEndpoint(clusterScrape.getIfAvailable(), registry::scrape);
		}

	}

}
