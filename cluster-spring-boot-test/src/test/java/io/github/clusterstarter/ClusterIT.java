package io.github.clusterstarter;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterTest;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.RunningCluster;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

	@Test
	void aConnectionWaitsInTheKernelUntilItsRequestArrivesAndOneThatSendsNothingIsServedAnyway(RunningCluster cluster)
			throws IOException {
		int port = cluster.port();
		try (Socket silent = new Socket("127.0.0.1", port); Socket slow = new Socket("127.0.0.1", port)) {
			// cluster.defer-accept (1 s): no worker is woken for a connection without a request
			assertThat(halfOpenConnections(port)).contains(slow.getLocalPort());
			OutputStream request = slow.getOutputStream();
			request.write("GET /whoami HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			assertThat(new String(slow.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
				.startsWith("HTTP/1.1 200");
			// Handed to a worker after the deferral, which then applies its own timeouts
			await().atMost(Duration.ofSeconds(10)).until(() -> !halfOpenConnections(port).contains(silent.getLocalPort()));
			silent.getOutputStream().write("GET /whoami HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			assertThat(new String(silent.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
				.startsWith("HTTP/1.1 200");
		}
	}

	/**
	 * Return the client ports of the connections to the given local port that the kernel
	 * completed for the client but keeps in SYN_RECV (state 03 of {@code /proc/net/tcp}).
	 */
	private static List<Integer> halfOpenConnections(int port) throws IOException {
		String local = ":%04X".formatted(port);
		return Files.readAllLines(Path.of("/proc/net/tcp"))
			.stream()
			.skip(1)
			.map((line) -> line.trim().split("\\s+"))
			.filter((fields) -> fields[1].endsWith(local) && fields[3].equals("03"))
			.map((fields) -> Integer.parseInt(fields[2].substring(fields[2].indexOf(':') + 1), 16))
			.toList();
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
