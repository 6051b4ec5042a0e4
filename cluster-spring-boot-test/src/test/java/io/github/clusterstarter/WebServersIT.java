package io.github.clusterstarter;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterLauncher;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
import io.github.clusterstarter.test.LoadGenerator;
import io.github.clusterstarter.test.OnEveryServer;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.RunningCluster;
import io.github.clusterstarter.test.WebStack;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every web server must do in a cluster, on a cluster of its own per server: share
 * the socket, count requests, get a worker killed with {@code kill -9} replaced while the
 * other serves, and stop cleanly on {@code SIGTERM}. The zero-downtime guarantees on every
 * server are in {@link ZeroDowntimeIT}, the watchdog and recycling in
 * {@link WorkerReplacementIT}.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class WebServersIT {

	private RunningCluster cluster;

	@AfterEach
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(WebStack.class)
	void workersShareTheSocketAndCountTheirRequests(WebStack stack) throws IOException {
		this.cluster = stack.launcher().withWorkers(2).start();
		Map<Integer, String> answers = this.cluster.awaitAnswersFromEveryWorker("/whoami");
		assertThat(answers.values()).allSatisfy((body) -> {
			assertThat(JsonPath.<String>read(body, "$.server")).isEqualTo(stack.server());
			assertThat(JsonPath.<String>read(body, "$.stack")).isEqualTo(stack.stack());
		});
		List<Long> pids = answers.values().stream().map((body) -> JsonPath.<Number>read(body, "$.pid").longValue()).toList();
		assertThat(pids).doesNotHaveDuplicates().doesNotContain(this.cluster.masterPid());
		for (int i = 0; i < 20; i++) {
			RawHttp.get(this.cluster.port(), "/whoami");
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			List<Number> served = JsonPath.read(this.cluster.status(), "$.workers[*].requestsServed");
			return served.stream().mapToLong(Number::longValue).sum() >= 22;
		});
		List<Number> inFlight = JsonPath.read(this.cluster.status(), "$.workers[*].requestsInFlight");
		assertThat(inFlight).allSatisfy((count) -> assertThat(count.longValue()).isNotNegative());
		assertWorkersShareTheSession();
	}

	/**
	 * Count in the HTTP session with a new connection for each request until both workers
	 * served one: every count follows the one before, whichever worker served it. The
	 * kernel decides which worker takes a connection, so no fixed number of requests is
	 * sure to reach both.
	 */
	private void assertWorkersShareTheSession() throws IOException {
		RawHttp.Response first = RawHttp.send(this.cluster.port(), "POST", "/session/count", List.of(), "", "");
		assertThat(JsonPath.<Integer>read(first.body(), "$.count")).isOne();
		String cookie = first.cookies().get(0);
		Set<Integer> workers = new HashSet<>();
		AtomicInteger count = new AtomicInteger(1);
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
			RawHttp.Response response = RawHttp.send(this.cluster.port(), "POST", "/session/count",
					List.of("Cookie: " + cookie), "", "");
			assertThat(JsonPath.<Integer>read(response.body(), "$.count")).as(response.toString())
				.isEqualTo(count.incrementAndGet());
			workers.add(JsonPath.read(response.body(), "$.worker"));
			return workers.containsAll(Set.of(1, 2));
		});
		assertThat(workers).containsExactlyInAnyOrder(1, 2);
	}

	/**
	 * With every server on the class path, Spring Boot starts one (Jetty, for Spring MVC
	 * with Tomcat and Jetty, in Spring Boot 4.0) and that is the server the workers
	 * cluster.
	 */
	@Test
	void clustersTheServerSpringBootStartsAmongSeveral() {
		Pattern nothing = Pattern.compile("^$");
		this.cluster = ClusterLauncher.forApplication(TestApplication.class).withoutJars(nothing).withWorkers(2).start();
		assertThat(this.cluster.awaitAnswersFromEveryWorker("/whoami").values())
			.extracting((body) -> JsonPath.<String>read(body, "$.server"))
			.containsOnly(WebStack.JETTY_MVC.server());
	}

	@OnEveryServer
	void killedWorkerIsReplacedWhileTheOtherServesAndSigtermStopsEverything(WebStack stack) throws Exception {
		this.cluster = stack.launcher().withWorkers(2).start();
		long victim = this.cluster.workers().get(1);
		long servedBeforeKill;
		try (LoadGenerator load = LoadGenerator.newConnectionPerRequest(this.cluster.port(), "/whoami", 1)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > 20);
			this.cluster.kill(1);
			servedBeforeKill = load.succeeded();
			this.cluster.awaitReady();
			load.close();
			// Only a request the killed worker was serving at that moment may fail
			assertThat(load.failures()).as("failed requests").hasSizeLessThanOrEqualTo(1);
			assertThat(load.succeeded() - servedBeforeKill).as("requests served while worker 1 was replaced")
				.isGreaterThan(10);
		}
		String worker = RawHttp.get(this.cluster.port(), "/actuator/cluster/1").body();
		assertThat(JsonPath.<Integer>read(worker, "$.restarts")).isEqualTo(1);
		assertThat(JsonPath.<Integer>read(worker, "$.lastExit.status")).isEqualTo(137);
		assertThat(this.cluster.workerProcesses()).hasSize(2).noneMatch((handle) -> handle.pid() == victim);
		int linesBeforeStop = this.cluster.outputLines().size();
		this.cluster.signalMaster("TERM");
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isZero();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.cluster.processes().isEmpty());
		List<String> stopping = this.cluster.outputLines().subList(linesBeforeStop, this.cluster.outputLines().size());
		assertThat(String.join("\n", stopping)).contains("Shutting down (SIGTERM)", "Worker 1 (pid", "stopped")
			.doesNotContain("Accept Failure", "Exception");
		// Each worker still writes to its output after closing its copy of the shared socket
		assertThat(stopping).filteredOn((line) -> line.contains("Stopped accepting;")).hasSize(2);
	}

}
