package io.github.clusterstarter.lifecycle;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterRoleTests {

	@Test
	void standaloneWithoutWorkers() {
		assertThat(ClusterRole.of(new MockEnvironment(), getClass().getClassLoader()))
			.isEqualTo(ClusterRole.STANDALONE);
		assertThat(ClusterRole.of(new MockEnvironment().withProperty("cluster.workers", "0"),
				getClass().getClassLoader()))
			.isEqualTo(ClusterRole.STANDALONE);
	}

	@Test
	void standaloneInsideTestsEvenWithWorkers() {
		assertThat(ClusterRole.of(new MockEnvironment().withProperty("cluster.workers", "4"),
				getClass().getClassLoader()))
			.isEqualTo(ClusterRole.STANDALONE);
	}

	@Test
	void skipCheckSeesTests() {
		assertThat(new ClusterSkipCheck().shouldSkip(getClass().getClassLoader())).isTrue();
	}

}
