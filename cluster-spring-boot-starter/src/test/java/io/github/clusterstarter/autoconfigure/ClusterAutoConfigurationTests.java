package io.github.clusterstarter.autoconfigure;

import io.github.clusterstarter.actuate.ClusterDescriptor;
import io.github.clusterstarter.actuate.ClusterEndpoint;
import io.github.clusterstarter.actuate.ClusterEndpointWebExtension;
import io.github.clusterstarter.actuate.ClusterHealthIndicator;
import io.github.clusterstarter.session.ClusterSessionRepository;
import io.github.clusterstarter.worker.tomcat.WorkerTomcatCustomizer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.session.web.http.SessionRepositoryFilter;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ClusterWorkerAutoConfiguration.class, ClusterEndpointAutoConfiguration.class,
					ClusterHealthContributorAutoConfiguration.class, ClusterPrimaryAutoConfiguration.class,
					ClusterSessionAutoConfiguration.class));

	@Test
	void standaloneApplicationGetsNoWorkerCustomization() {
		this.runner.withPropertyValues("cluster.workers=2")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerTomcatCustomizer.class)
				.doesNotHaveBean(ClusterProperties.class));
	}

	@Test
	void standaloneApplicationKeepsTheSessionsOfItsServer() {
		this.runner.withPropertyValues("cluster.workers=2")
			.run((context) -> assertThat(context).doesNotHaveBean(ClusterSessionRepository.class)
				.doesNotHaveBean(SessionRepositoryFilter.class));
	}

	@Test
	void endpointReportsStandaloneWhenExposed() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=cluster").run((context) -> {
			assertThat(context).hasSingleBean(ClusterEndpoint.class).hasSingleBean(ClusterEndpointWebExtension.class);
			ClusterDescriptor cluster = context.getBean(ClusterEndpoint.class).cluster();
			assertThat(cluster.clustered()).isFalse();
			assertThat(cluster.workers()).isEmpty();
			assertThat(context.getBean(ClusterEndpointWebExtension.class).worker("1").getStatus()).isEqualTo(404);
		});
	}

	@Test
	void healthIsUpWhenNotClustered() {
		this.runner.run((context) -> {
			Health health = context.getBean(ClusterHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("clustered", false);
		});
	}

	@Test
	void healthIndicatorCanBeDisabled() {
		this.runner.withPropertyValues("management.health.cluster.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ClusterHealthIndicator.class));
	}

	@Test
	void endpointIsAbsentWhenNotExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ClusterEndpoint.class));
	}

	@Test
	void endpointCanBeDisabled() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=cluster",
					"management.endpoint.cluster.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(ClusterEndpoint.class));
	}

}
