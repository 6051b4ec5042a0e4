package io.github.clusterstarter;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterTest;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.RunningCluster;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link TestApplication} as a real cluster, started from the test class path, and
 * checks what the master and its workers do while it runs. A worker killed with
 * {@code kill -9}, on every server, is in {@link WebServersIT}.
 */
@ClusterTest(workers = 2, classes = TestApplication.class)
class ClusterIT {

	@Test
	void workersShareTheSocketAndReportReady(RunningCluster cluster) throws IOException {
		int port = cluster.port();
		Map<Integer, String> answers = cluster.awaitAnswersFromEveryWorker("/whoami");
		List<Integer> pids = answers.values().stream().map((body) -> JsonPath.<Integer>read(body, "$.pid")).toList();
		assertThat(pids).doesNotHaveDuplicates().doesNotContain((int) cluster.masterPid());
		String status = cluster.status();
		assertThat(JsonPath.<Boolean>read(status, "$.clustered")).isTrue();
		assertThat(JsonPath.<List<String>>read(status, "$.workers[*].state")).containsExactly("READY", "READY");
		assertThat(JsonPath.<List<Integer>>read(status, "$.workers[*].id")).containsExactly(1, 2);
		assertThat(JsonPath.<List<Integer>>read(status, "$.workers[*].pid")).isEqualTo(pids);
		assertThat(JsonPath.<Integer>read(status, "$.master.pid")).isEqualTo((int) cluster.masterPid());
		assertThat(JsonPath.<Integer>read(status, "$.master.port")).isEqualTo(port);
		assertThat(JsonPath.<Integer>read(status, "$.master.desiredWorkers")).isEqualTo(2);
		assertThat(JsonPath.<Integer>read(status, "$.answeredBy")).isIn(1, 2);
		assertThat(RawHttp.get(port, "/actuator/cluster/2").body()).contains("\"id\":2", "\"state\":\"READY\"");
		RawHttp.Response unknown = RawHttp.get(port, "/actuator/cluster/7");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.body()).contains("No worker with id 7");
		RawHttp.Response invalid = RawHttp.get(port, "/actuator/cluster/seven");
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.body()).contains("Worker id must be a whole number, not 'seven'");
		assertThat(cluster.outputLines()).anyMatch((line) -> line.contains("[worker-1]"))
			.anyMatch((line) -> line.contains("[worker-2]"))
			.anyMatch((line) -> line.contains("[master]"));
	}

	@Test
	void theMasterPrintsTheOnlyBannerBeforeItStartsTheWorkers(RunningCluster cluster) {
		List<String> lines = cluster.outputLines();
		assertThat(cluster.output()).containsOnlyOnce(":: Spring Boot ::");
		int banner = indexOf(lines, ":: Spring Boot ::");
		assertThat(banner).as("line of the banner").isLessThan(indexOf(lines, "Cluster master (pid"));
	}

	private static int indexOf(List<String> lines, String text) {
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).contains(text)) {
				return i;
			}
		}
		throw new AssertionError("No line contains '" + text + "'");
	}

}
