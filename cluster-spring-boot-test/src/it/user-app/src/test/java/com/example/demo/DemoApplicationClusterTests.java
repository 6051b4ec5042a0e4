package com.example.demo;

import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterTest;
import io.github.clusterstarter.test.RunningCluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application as it runs in production: a master and 2 workers, in JVMs of their
 * own, serving one port.
 */
@ClusterTest(workers = 2)
class DemoApplicationClusterTests {

	@Test
	void twoWorkersServeOnePort(RunningCluster cluster) {
		Map<Integer, Long> workers = cluster.workers();
		assertThat(workers).containsOnlyKeys(1, 2).doesNotContainValue(cluster.masterPid());
		assertThat(cluster.awaitAnswersFromEveryWorker("/whoami")).containsOnlyKeys(1, 2)
			.allSatisfy((id, whoami) -> assertThat(pid(whoami)).isEqualTo(workers.get(id)));
	}

	@Test
	void killedWorkerIsReplacedWhileTheOtherKeepsItsPid(RunningCluster cluster) {
		Map<Integer, Long> before = cluster.workers();
		cluster.kill(1);
		cluster.awaitReady();
		Map<Integer, Long> after = cluster.workers();
		assertThat(after).containsOnlyKeys(1, 2).containsEntry(2, before.get(2));
		assertThat(after.get(1)).isNotEqualTo(before.get(1));
		assertThat(cluster.awaitAnswersFromEveryWorker("/whoami"))
			.allSatisfy((id, whoami) -> assertThat(pid(whoami)).isEqualTo(after.get(id)));
	}

	private static long pid(String whoami) {
		return JsonPath.<Number>read(whoami, "$.pid").longValue();
	}

}
