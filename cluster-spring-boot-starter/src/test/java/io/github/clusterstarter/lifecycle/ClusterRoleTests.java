package io.github.clusterstarter.lifecycle;

import java.util.Map;

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
	void aWorkerIsAChildOfItsMaster() {
		Map<String, String> environment = Map.of("BOOT_CLUSTER_WORKER_ID", "2", "BOOT_CLUSTER_CONTROL_SOCKET",
				"/tmp/control.sock", "BOOT_CLUSTER_SECRET", "00ff", "BOOT_CLUSTER_MASTER_PID", "4242");
		assertThat(ClusterRole.workerIdentity(environment, 4242)).hasValueSatisfying(
				(identity) -> assertThat(identity.workerId()).isEqualTo(2));
	}

	@Test
	void aProcessStartedByAWorkerIsNoWorkerAlthoughItInheritsTheEnvironment() {
		Map<String, String> environment = Map.of("BOOT_CLUSTER_WORKER_ID", "2", "BOOT_CLUSTER_CONTROL_SOCKET",
				"/tmp/control.sock", "BOOT_CLUSTER_SECRET", "00ff", "BOOT_CLUSTER_MASTER_PID", "4242");
		assertThat(ClusterRole.workerIdentity(environment, 5353)).isEmpty();
	}

	@Test
	void skipCheckSeesTests() {
		assertThat(new ClusterSkipCheck().shouldSkip(getClass().getClassLoader())).isTrue();
	}

}
