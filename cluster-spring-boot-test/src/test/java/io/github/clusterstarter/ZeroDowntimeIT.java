package io.github.clusterstarter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

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
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rolling restarts, restarts of one worker and scaling, under load, on a real cluster of
 * its own for each test, the tests under load on every web server: no request may fail.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class ZeroDowntimeIT {

	private static final Duration ROLLOUT = Duration.ofSeconds(120);

	private final ClusterLauncher launcher = ClusterLauncher.forApplication(TestApplication.class).withWorkers(2);

	private RunningCluster cluster;

	@TempDir
	Path temp;

	@AfterEach
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	/**
	 * Clients that keep their connections alive, clients that open one per request, and a
	 * client that posts orders and never retries one, at the same time: each kind meets
	 * the restarts at every stage of its connections.
	 */
	@OnEveryServer
	void restartsAndScalingDropNoRequestOfKeepAliveNewConnectionOrPostingClients(WebStack stack) throws Exception {
		this.cluster = stack.launcher().withWorkers(2).start();
		try (LoadGenerator keepAlive = LoadGenerator.keepAlive(this.cluster.port(), "/whoami", 1);
				LoadGenerator posts = LoadGenerator.keepAlivePosts(this.cluster.port(), "/orders", 1);
				LoadGenerator newConnections = LoadGenerator.newConnectionPerRequest(this.cluster.port(), "/whoami",
						2)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> keepAlive.succeeded() > 100 && posts.succeeded() > 100
					&& newConnections.succeeded() > 100);
			restartAndScale();
			keepAlive.close();
			posts.close();
			newConnections.close();
			for (LoadGenerator load : List.of(keepAlive, posts, newConnections)) {
				System.out.printf("%d requests answered with 200, %d failed%n", load.succeeded(),
						load.failures().size());
				assertThat(load.failures()).as("failed requests").isEmpty();
				assertThat(load.succeeded()).isGreaterThan(250);
			}
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.cluster.workerProcesses().size() == 2);
	}

	/**
	 * A rolling restart, a restart of one of the workers it started, and a scale up and
	 * down.
	 */
	private void restartAndScale() {
		Set<Long> rolled = workerPids();
		this.cluster.rollingRestart();
		assertThat(workerPids()).as("pids after the rolling restart").hasSize(2).doesNotContainAnyElementsOf(rolled);
		long before = this.cluster.workers().get(2);
		this.cluster.restart(2);
		assertThat(this.cluster.workers().get(2)).isNotEqualTo(before);
		this.cluster.scale(3);
		assertThat(this.cluster.workers()).hasSize(3);
		this.cluster.scale(2);
		assertThat(this.cluster.workers()).hasSize(2);
	}

	@Test
	void postsFromAClientThatNeverRetriesAllSucceedThroughRecyclingAndSigterm() throws Exception {
		this.cluster = this.launcher
			.withProperties("cluster.worker.max-requests=4000", "cluster.worker.max-requests-jitter=1000")
			.start();
		LoadGenerator load = LoadGenerator.keepAlivePosts(this.cluster.port(), "/orders", 4);
		try {
			// Through rolling restarts and scaling on every server: restartsAndScalingDropNoRequest...
			await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > 100);
			// A recycled worker replaced and drained, not only its replacement started
			await().atMost(ROLLOUT).until(this.cluster::status,
					(status) -> JsonPath.<Map<String, Object>>read(status, "$.master.replacements").containsKey("recycle")
							&& "SUCCEEDED".equals(JsonPath.read(status, "$.rollout.state")));
			long answeredBeforeSigterm = load.succeeded();
			this.cluster.signalMaster("TERM");
			assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isZero();
			load.close();
			System.out.printf("%d posts answered with 200 (%d before SIGTERM), %d failed%n", load.succeeded(),
					answeredBeforeSigterm, load.failures().size());
			// After SIGTERM a client that cannot connect sent nothing; a sent post must be answered
			assertThat(load.failures()).as("posts that were sent and not answered")
				.allMatch((failure) -> failure.contains("ConnectException")
						|| failure.contains("HttpConnectTimeoutException"));
			assertThat(load.succeeded()).isGreaterThan(1000);
		}
		finally {
			load.close();
		}
	}

	@Test
	void failedReplacementAbortsTheRolloutAndTheOldWorkersKeepServing() throws Exception {
		Path failFile = this.temp.resolve("fail");
		this.cluster = this.launcher.withProperties("testapp.fail-on-boot-file=" + failFile).start();
		Set<Long> before = workerPids();
		Files.createFile(failFile);
		assertThat(post("/actuator/cluster", "{\"action\":\"restart\"}").status()).isEqualTo(202);
		await().atMost(ROLLOUT).until(() -> "FAILED".equals(JsonPath.read(this.cluster.status(), "$.rollout.state")));
		String status = this.cluster.status();
		assertThat(JsonPath.<String>read(status, "$.rollout.reason")).contains("the replacement for worker 1")
			.contains("before it became ready")
			.contains("Boot failure requested by");
		assertThat(JsonPath.<List<String>>read(status, "$.workers[*].state")).containsExactly("READY", "READY");
		assertThat(workerPids()).isEqualTo(before);
		for (int i = 0; i < 10; i++) {
			assertThat(RawHttp.get(this.cluster.port(), "/whoami").status()).isEqualTo(200);
		}
		Files.delete(failFile);
		this.cluster.rollingRestart();
		assertThat(workerPids()).hasSize(2).doesNotContainAnyElementsOf(before);
	}

	/**
	 * A scale-up is refused when it cannot fit, and abandoned when its workers cannot
	 * boot, while the workers that serve go on serving: the workers' heaps are sized (and
	 * touched, so that they are resident) such that the largest scale-up needs more memory
	 * than this machine has.
	 */
	@Test
	void scaleUpThatDoesNotFitIsRefusedAndOneThatCannotBootIsAbandonedWhileTheReadyWorkersServe() throws Exception {
		int maxWorkers = 16 * Runtime.getRuntime().availableProcessors();
		long heapMegabytes = memoryTotalMegabytes() * 5 / 4 / (maxWorkers - 2);
		this.cluster = this.launcher
			.withProperties("testapp.fail-boot-of-worker=3", "cluster.worker.max-boot-failures=2",
					"cluster.worker.jvm-args=-Xms%1$dm,-Xmx%1$dm,-XX:+AlwaysPreTouch".formatted(heapMegabytes))
			.start();
		Map<Integer, Long> serving = this.cluster.workers();
		// The master's last sample of each worker, which the scale check reads
		await().atMost(Duration.ofSeconds(30)).until(() -> JsonPath.<List<Number>>read(this.cluster.status(),
				"$.workers[*].rssBytes").stream().allMatch((rss) -> rss.longValue() >= heapMegabytes << 20));
		// One client: the failing boots compete with it for the CPUs
		try (LoadGenerator load = LoadGenerator.newConnectionPerRequest(this.cluster.port(), "/whoami", 1)) {
			assertRejected(post("/actuator/cluster", "{\"workers\":" + maxWorkers + "}"), 400,
					"scaling from 2 to %d worker(s) needs about %d x ".formatted(maxWorkers, maxWorkers - 2));
			assertThat(post("/actuator/cluster", "{\"workers\":3}").status()).isEqualTo(202);
			String abandoned = await().atMost(ROLLOUT)
				.until(() -> JsonPath.<String>read(this.cluster.status(), "$.master.abandoned"), Objects::nonNull);
			assertThat(abandoned).contains("gave up on worker(s) [3]")
				.contains("2 worker(s) in a row failed to boot")
				.contains("Boot failure of worker 3 requested by testapp.fail-boot-of-worker");
			this.cluster.awaitLine("Gave up on worker(s) [3]: ", Duration.ofSeconds(5));
			long answeredBeforeCheck = load.succeeded();
			await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > answeredBeforeCheck + 20);
			load.close();
			System.out.printf("%d requests answered with 200, %d failed%n", load.succeeded(), load.failures().size());
			assertThat(load.failures()).as("failed requests").isEmpty();
		}
		String status = this.cluster.status();
		assertThat(JsonPath.<Integer>read(status, "$.master.desiredWorkers")).isEqualTo(2);
		assertThat(JsonPath.<String>read(status, "$.master.state")).isEqualTo("RUNNING");
		assertThat(this.cluster.workers()).isEqualTo(serving);
	}

	private static long memoryTotalMegabytes() throws IOException {
		String total = Files.readAllLines(Path.of("/proc/meminfo"))
			.stream()
			.filter((line) -> line.startsWith("MemTotal:"))
			.findFirst()
			.orElseThrow();
		return Long.parseLong(total.replaceAll("[^0-9]", "")) / 1024;
	}

	@Test
	void scalesThroughTheEndpointAndSignals() {
		this.cluster = this.launcher.start();
		this.cluster.scale(3);
		awaitWorkers(3);
		this.cluster.signalMaster("TTOU");
		awaitWorkers(2);
		this.cluster.signalMaster("TTIN");
		awaitWorkers(3);
		this.cluster.scale(1);
		awaitWorkers(1);
		assertThat(JsonPath.<Integer>read(this.cluster.status(), "$.master.desiredWorkers")).isEqualTo(1);
		assertThat(JsonPath.<List<Integer>>read(this.cluster.status(), "$.workers[*].id")).containsExactly(1);
	}

	@Test
	void rejectsInvalidAndConflictingCommands() throws Exception {
		this.cluster = this.launcher.start();
		assertRejected(post("/actuator/cluster", "{\"workers\":0}"), 400, "must be from 1 to");
		assertRejected(post("/actuator/cluster", "{\"action\":\"explode\"}"), 400, "Unknown action 'explode'");
		assertRejected(post("/actuator/cluster", "{}"), 400, "Send either");
		assertRejected(post("/actuator/cluster/9", ""), 404, "no worker with id 9");
		assertThat(post("/actuator/cluster", "{\"action\":\"restart\"}").status()).isEqualTo(202);
		assertRejected(post("/actuator/cluster", "{\"action\":\"restart\"}"), 409,
				"a rolling restart is already in progress");
		assertRejected(post("/actuator/cluster", "{\"workers\":3}"), 409, "a rolling restart is in progress");
		// The first rollout of this cluster
		await().atMost(ROLLOUT)
			.until(() -> "SUCCEEDED".equals(JsonPath.read(this.cluster.status(), "$.rollout.state")));
		this.cluster.awaitReady();
		this.cluster.signalMaster("HUP");
		await().atMost(ROLLOUT).until(() -> {
			String status = this.cluster.status();
			return "SIGHUP".equals(JsonPath.read(status, "$.rollout.trigger"))
					&& "SUCCEEDED".equals(JsonPath.read(status, "$.rollout.state"));
		});
	}

	private static void assertRejected(RawHttp.Response response, int status, String reason) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.body()).contains(reason);
	}

	/**
	 * Wait until the endpoint and the operating system agree that exactly the given
	 * number of workers run, every one ready.
	 */
	private void awaitWorkers(int count) {
		await().atMost(ROLLOUT).until(() -> {
			List<String> states = JsonPath.read(this.cluster.status(), "$.workers[*].state");
			return states.size() == count && states.stream().allMatch("READY"::equals)
					&& this.cluster.workerProcesses().size() == count
					&& workerPids().equals(this.cluster.workerProcesses()
						.stream()
						.map(ProcessHandle::pid)
						.collect(Collectors.toSet()));
		});
	}

	private Set<Long> workerPids() {
		List<Number> pids = JsonPath.read(this.cluster.status(), "$.workers[*].pid");
		return pids.stream().map(Number::longValue).collect(Collectors.toSet());
	}

	private RawHttp.Response post(String path, String json) throws IOException {
		return RawHttp.post(this.cluster.port(), path, json);
	}

}
