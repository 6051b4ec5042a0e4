package io.github.clusterstarter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterProcess;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
import io.github.clusterstarter.test.LoadGenerator;
import io.github.clusterstarter.test.OnEveryServer;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.WebStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rolling restarts, restarts of one worker and scaling, under load, on a real cluster of
 * each web server: no request may fail.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class ZeroDowntimeIT {

	private static final Duration ROLLOUT = Duration.ofSeconds(120);

	private ClusterProcess cluster;

	private int port;

	/**
	 * The start times of the rollouts {@link #awaitRollout(int)} saw succeed, in order.
	 */
	private final List<Object> rolloutsSeen = new ArrayList<>();

	@TempDir
	Path temp;

	@AfterEach
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	private void start(int workers, String... arguments) {
		start(WebStack.TOMCAT_MVC, workers, arguments);
	}

	private void start(WebStack stack, int workers, String... arguments) {
		List<String> all = new ArrayList<>(List.of("--server.port=0", "--cluster.workers=" + workers));
		all.addAll(Arrays.asList(arguments));
		this.cluster = ClusterProcess.startTestApplication(stack, all.toArray(String[]::new));
		this.port = this.cluster.awaitPort();
		this.cluster.awaitLine("Cluster ready", Duration.ofSeconds(90));
	}

	@OnEveryServer
	void restartsAndScalingDropNoRequestWithKeepAliveClients(WebStack stack) throws Exception {
		start(stack, 2);
		try (LoadGenerator load = LoadGenerator.keepAlive(this.port, "/whoami", 4)) {
			restartUnderLoad(load);
		}
	}

	@OnEveryServer
	void restartsAndScalingDropNoRequestWithNewConnectionPerRequest(WebStack stack) throws Exception {
		start(stack, 2);
		try (LoadGenerator load = LoadGenerator.newConnectionPerRequest(this.port, "/whoami", 4)) {
			restartUnderLoad(load);
		}
	}

	/**
	 * Two rolling restarts, a restart of one worker, and a scale up and down while the load
	 * runs.
	 */
	private void restartUnderLoad(LoadGenerator load) throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > 100);
		for (int i = 1; i <= 2; i++) {
			Set<Long> before = workerPids();
			assertThat(post("/actuator/cluster", "{\"action\":\"restart\"}").status()).isEqualTo(202);
			awaitRollout(i);
			assertThat(workerPids()).as("pids after rolling restart %d", i).hasSize(2).doesNotContainAnyElementsOf(before);
		}
		long before = workerPid(2);
		assertThat(post("/actuator/cluster/2", "").status()).isEqualTo(202);
		awaitRollout(3);
		assertThat(workerPid(2)).isNotEqualTo(before);
		assertThat(post("/actuator/cluster", "{\"workers\":3}").status()).isEqualTo(202);
		awaitWorkers(3);
		assertThat(post("/actuator/cluster", "{\"workers\":2}").status()).isEqualTo(202);
		awaitWorkers(2);
		load.close();
		System.out.printf("%d requests answered with 200, %d failed%n", load.succeeded(), load.failures().size());
		assertThat(load.failures()).as("failed requests").isEmpty();
		assertThat(load.succeeded()).isGreaterThan(500);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.cluster.workers().size() == 2);
	}

	@Test
	void failedReplacementAbortsTheRolloutAndTheOldWorkersKeepServing() throws Exception {
		Path failFile = this.temp.resolve("fail");
		start(2, "--testapp.fail-on-boot-file=" + failFile);
		Set<Long> before = workerPids();
		Files.createFile(failFile);
		assertThat(post("/actuator/cluster", "{\"action\":\"restart\"}").status()).isEqualTo(202);
		await().atMost(ROLLOUT).until(() -> "FAILED".equals(JsonPath.read(status(), "$.rollout.state")));
		String status = status();
		assertThat(JsonPath.<String>read(status, "$.rollout.reason")).contains("the replacement for worker 1")
			.contains("before it became ready")
			.contains("Boot failure requested by");
		assertThat(JsonPath.<List<String>>read(status, "$.workers[*].state")).containsExactly("READY", "READY");
		assertThat(workerPids()).isEqualTo(before);
		for (int i = 0; i < 10; i++) {
			assertThat(RawHttp.get(this.port, "/whoami").status()).isEqualTo(200);
		}
		Files.delete(failFile);
		assertThat(post("/actuator/cluster", "{\"action\":\"restart\"}").status()).isEqualTo(202);
		await().atMost(ROLLOUT).until(() -> "SUCCEEDED".equals(JsonPath.read(status(), "$.rollout.state")));
		assertThat(workerPids()).hasSize(2).doesNotContainAnyElementsOf(before);
	}

	@Test
	void scalesThroughTheEndpointAndSignals() throws Exception {
		start(2);
		assertThat(post("/actuator/cluster", "{\"workers\":3}").status()).isEqualTo(202);
		awaitWorkers(3);
		this.cluster.signalMaster("TTOU");
		awaitWorkers(2);
		this.cluster.signalMaster("TTIN");
		awaitWorkers(3);
		assertThat(post("/actuator/cluster", "{\"workers\":1}").status()).isEqualTo(202);
		awaitWorkers(1);
		assertThat(JsonPath.<Integer>read(status(), "$.master.desiredWorkers")).isEqualTo(1);
		assertThat(JsonPath.<List<Integer>>read(status(), "$.workers[*].id")).containsExactly(1);
	}

	@Test
	void rejectsInvalidAndConflictingCommands() throws Exception {
		start(2);
		assertRejected(post("/actuator/cluster", "{\"workers\":0}"), 400, "must be from 1 to");
		assertRejected(post("/actuator/cluster", "{\"action\":\"explode\"}"), 400, "Unknown action 'explode'");
		assertRejected(post("/actuator/cluster", "{}"), 400, "Send either");
		assertRejected(post("/actuator/cluster/9", ""), 404, "no worker with id 9");
		assertThat(post("/actuator/cluster", "{\"action\":\"restart\"}").status()).isEqualTo(202);
		assertRejected(post("/actuator/cluster", "{\"action\":\"restart\"}"), 409,
				"a rolling restart is already in progress");
		assertRejected(post("/actuator/cluster", "{\"workers\":3}"), 409, "a rolling restart is in progress");
		awaitRollout(1);
		this.cluster.signalMaster("HUP");
		await().atMost(ROLLOUT).until(() -> {
			String status = status();
			return "SIGHUP".equals(JsonPath.read(status, "$.rollout.trigger"))
					&& "SUCCEEDED".equals(JsonPath.read(status, "$.rollout.state"));
		});
	}

	private static void assertRejected(RawHttp.Response response, int status, String reason) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.body()).contains(reason);
	}

	private void awaitWorkers(int count) {
		await().atMost(ROLLOUT).until(() -> {
			String status = status();
			List<String> states = JsonPath.read(status, "$.workers[*].state");
			return states.size() == count && states.stream().allMatch("READY"::equals)
					&& this.cluster.workers().size() == count
					&& workerPids().equals(this.cluster.workers()
						.stream()
						.map(ProcessHandle::pid)
						.collect(Collectors.toSet()));
		});
	}

	/**
	 * Wait until the given rollout of this test succeeded and every worker is ready. The
	 * endpoint shows the last rollout only, so each one is told from the previous ones by
	 * its start time.
	 * @param number the rollout's ordinal, from 1
	 */
	private void awaitRollout(int number) {
		assertThat(this.rolloutsSeen).as("rollouts seen before rollout %d", number).hasSize(number - 1);
		Object startedAt = await().atMost(ROLLOUT).until(() -> {
			String status = status();
			boolean done = "SUCCEEDED".equals(JsonPath.read(status, "$.rollout.state"))
					&& JsonPath.<List<Object>>read(status, "$.workers[?(@.state != 'READY')]").isEmpty();
			return done ? JsonPath.read(status, "$.rollout.startedAt") : null;
		}, (started) -> started != null && !this.rolloutsSeen.contains(started));
		this.rolloutsSeen.add(startedAt);
	}

	private String status() throws IOException {
		return RawHttp.get(this.port, "/actuator/cluster").body();
	}

	private Set<Long> workerPids() throws IOException {
		List<Number> pids = JsonPath.read(status(), "$.workers[*].pid");
		return pids.stream().map(Number::longValue).collect(Collectors.toSet());
	}

	private long workerPid(int id) throws IOException {
		return ((Number) JsonPath.read(RawHttp.get(this.port, "/actuator/cluster/" + id).body(), "$.pid"))
			.longValue();
	}

	private RawHttp.Response post(String path, String json) throws IOException {
		return RawHttp.post(this.port, path, json);
	}

}
