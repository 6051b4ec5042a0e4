package io.github.clusterstarter.test;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the endpoints a cluster started from the test class path exposes are decided.
 */
class EndpointExposureTests {

	@Test
	void healthAndClusterWhenNothingIsConfigured() {
		assertThat(include(Map.of())).containsExactlyInAnyOrder("health", "cluster");
	}

	@Test
	void clusterAndHealthBesideTheEndpointsOfTheTestsProperties() {
		assertThat(include(Map.of(EndpointExposure.PROPERTY, "info,prometheus")))
			.containsExactlyInAnyOrder("info", "prometheus", "cluster", "health");
	}

	@Test
	void clusterAndHealthBesideTheEndpointsOfTheApplicationsConfiguration() {
		assertThat(include(Map.of("spring.config.location", "classpath:endpoint-exposure/")))
			.containsExactlyInAnyOrder("info", "metrics", "cluster", "health");
	}

	@Test
	void everyEndpointStaysEveryEndpoint() {
		assertThat(include(Map.of(EndpointExposure.PROPERTY, "*"))).containsExactly("*");
	}

	private static List<String> include(Map<String, String> properties) {
		return List.of(EndpointExposure.include(properties).split(","));
	}

}
