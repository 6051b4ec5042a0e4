package io.github.clusterstarter.testapp;

import java.io.IOException;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterTest;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.RunningCluster;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link ClusterTest @ClusterTest} beside its application, {@link TestApplication},
 * which it finds the way {@code @SpringBootTest} does.
 */
@ClusterTest(properties = "management.endpoints.web.exposure.include=info")
class ClusterTestIT {

	private static RunningCluster classCluster;

	private RunningCluster cluster;

	@Test
	void clusterIsInjectedIntoParametersAndFields(RunningCluster cluster) {
		assertThat(cluster).isNotNull().isSameAs(this.cluster).isSameAs(classCluster);
	}

	@Test
	void workersAreReadyProcessesOfTheirOwnOnAFreePortOfTheLoopbackAddress() throws IOException {
		Map<Integer, Long> workers = this.cluster.workers();
		assertThat(workers).containsOnlyKeys(1, 2);
		assertThat(workers.values()).doesNotHaveDuplicates()
			.doesNotContain(this.cluster.masterPid(), ProcessHandle.current().pid());
		assertThat(this.cluster.workerProcesses()).extracting(ProcessHandle::pid)
			.containsExactlyInAnyOrderElementsOf(workers.values());
		assertThat(this.cluster.url("/whoami")).isEqualTo("http://127.0.0.1:" + this.cluster.port() + "/whoami");
		String whoami = RawHttp.get(this.cluster.port(), "/whoami").body();
		assertThat(workers.values()).contains(JsonPath.<Number>read(whoami, "$.pid").longValue());
		assertThat(this.cluster.output()).contains("listening on 127.0.0.1:" + this.cluster.port() + ";");
	}

	@Test
	void endpointsTheTestExposesAreExposedBesideTheClusterEndpoint() throws IOException {
		for (String endpoint : new String[] { "info", "health", "cluster" }) {
			assertThat(RawHttp.get(this.cluster.port(), "/actuator/" + endpoint).status()).as(endpoint).isEqualTo(200);
		}
		assertThat(RawHttp.get(this.cluster.port(), "/actuator/env").status()).isEqualTo(404);
	}

	@Test
	void killedWorkerIsReplacedWhileTheOtherKeepsItsPid() {
		Map<Integer, Long> before = this.cluster.workers();
		this.cluster.kill(1);
		assertThat(ProcessHandle.of(before.get(1)).filter(ProcessHandle::isAlive)).isEmpty();
		this.cluster.awaitReady();
		Map<Integer, Long> after = this.cluster.workers();
		assertThat(after).containsOnlyKeys(1, 2).containsEntry(2, before.get(2));
		assertThat(after.get(1)).isNotEqualTo(before.get(1));
	}

	@Nested
	class NestedTests {

		@Test
		void shareTheClusterOfTheEnclosingClass(RunningCluster cluster) {
			assertThat(cluster).isSameAs(classCluster);
		}

	}

}
