package io.github.clusterstarter.autoconfigure;

import io.github.clusterstarter.metrics.ClusterMeterBinder;
import io.github.clusterstarter.metrics.ClusterPrometheusEndpoint;
import io.github.clusterstarter.worker.WorkerAgent;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of the cluster's Micrometer meters and of the cluster-wide Prometheus scrape.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration")
@ConditionalOnClass(MeterBinder.class)
public final class ClusterMetricsAutoConfiguration {

	@Bean
	@ConditionalOnBean(WorkerAgent.class)
	@ConditionalOnMissingBean
	ClusterMeterBinder clusterMeterBinder(WorkerAgent agent) {
		return new ClusterMeterBinder(agent);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ PrometheusMeterRegistry.class, ConditionalOnAvailableEndpoint.class })
	@ConditionalOnBean(PrometheusMeterRegistry.class)
	@ConditionalOnAvailableEndpoint(ClusterPrometheusEndpoint.class)
	static class PrometheusScrapeConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ClusterPrometheusEndpoint clusterPrometheusEndpoint(ObjectProvider<WorkerAgent> agent,
				PrometheusMeterRegistry registry) {
			WorkerAgent workerAgent = agent.getIfAvailable();
			if (workerAgent != null) {
				workerAgent.setMetricsSource(registry::scrape);
			}
			return new ClusterPrometheusEndpoint(workerAgent, registry::scrape);
		}

	}

}
