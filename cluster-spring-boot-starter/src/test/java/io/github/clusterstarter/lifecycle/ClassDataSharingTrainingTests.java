package io.github.clusterstarter.lifecycle;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClassDataSharingTraining}: where the training run stops.
 */
class ClassDataSharingTrainingTests {

	@AfterEach
	void clearExit() {
		System.clearProperty("spring.context.exit");
	}

	@Test
	void byDefaultTheTrainingRunExitsOnceTheContextIsRefreshed() {
		MockEnvironment environment = new MockEnvironment().withProperty("server.port", "8080");
		assertThat(ClassDataSharingTraining.prepare(environment)).isFalse();
		assertThat(System.getProperty("spring.context.exit")).isEqualTo("onRefresh");
		assertThat(environment.getProperty("server.port")).isEqualTo("8080");
	}

	@Test
	void withWarmupItStartsTheApplicationOnAPrivateLoopbackPortInsteadOfTheClustersPort() {
		MockEnvironment environment = new MockEnvironment().withProperty("server.port", "8080")
			.withProperty("server.address", "0.0.0.0")
			.withProperty(ClassDataSharingTraining.WITH_WARMUP, "true");
		assertThat(ClassDataSharingTraining.prepare(environment)).isTrue();
		assertThat(System.getProperty("spring.context.exit")).isNull();
		assertThat(environment.getProperty("server.port")).isEqualTo("0");
		assertThat(environment.getProperty("server.address")).isEqualTo("127.0.0.1");
	}

}
