package io.github.clusterstarter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The watchdog, recycling, the stop timeout and the CPU priority of replacements in a
 * real cluster, each on a cluster of its own, set up to replace workers soon; recycling,
 * which counts the requests each server serves, on every web server.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class WorkerReplacementIT {

	private final ClusterLauncher launcher = ClusterLauncher.forApplication(TestApplication.class).withWorkers(2);

	private RunningCluster cluster;

	@AfterEach
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void frozenWorkerIsKilledAndReplacedByTheWatchdog() throws Exception {
		// The heartbeat is the worker agent's, not the web server's: one server is enough
		this.cluster = this.launcher.withProperties("cluster.worker.timeout=3s").start();
		long frozen = this.cluster.workers().get(1);
		this.cluster.signalWorker(1, "STOP");
		// The timeout, the thread dump grace and a boot, with a wide margin for slow machines
		await().atMost(Duration.ofSeconds(3 + 60)).until(() -> {
			String worker = RawHttp.get(this.cluster.port(), "/actuator/cluster/1").body();
			return "READY".equals(JsonPath.read(worker, "$.state"))
					&& ((Number) JsonPath.read(worker, "$.pid")).longValue() != frozen;
		});
		String worker = RawHttp.get(this.cluster.port(), "/actuator/cluster/1").body();
		assertThat(JsonPath.<String>read(worker, "$.lastReplacement")).isEqualTo("timeout");
		assertThat(JsonPath.<Integer>read(worker, "$.lastExit.status")).isEqualTo(137);
		assertThat(this.cluster.output()).contains("(pid " + frozen + ") sent no heartbeat for 3 s");
		assertThat(this.cluster.workerProcesses()).noneMatch((handle) -> handle.pid() == frozen);
	}

	@OnEveryServer
	void maxRequestsRecyclesWorkersWithoutDroppingRequests(WebStack stack) throws Exception {
		this.cluster = stack.launcher()
			.withWorkers(2)
			.withProperties("cluster.worker.max-requests=3000", "cluster.worker.max-requests-jitter=500")
			.start();
		try (LoadGenerator load = LoadGenerator.newConnectionPerRequest(this.cluster.port(), "/whoami", 4)) {
			await().atMost(Duration.ofSeconds(180)).until(() -> restarts() >= 2);
			load.close();
			System.out.printf("%d requests answered with 200, %d failed%n", load.succeeded(), load.failures().size());
			assertThat(load.failures()).as("failed requests").isEmpty();
		}
		String status = this.cluster.status();
		assertThat(JsonPath.<List<String>>read(status, "$.workers[*].lastReplacement")).contains("recycle");
		assertThat(JsonPath.<String>read(status, "$.rollout.trigger")).contains("(cluster.worker.max-requests)");
	}

	private long restarts() {
		List<Number> restarts = JsonPath.read(this.cluster.status(), "$.workers[*].restarts");
		return restarts.stream().mapToLong(Number::longValue).sum();
	}

	@Test
	void aRemovedWorkerThatWillNotStopIsKilledAfterTheStopTimeoutAndItsIdIsFree() throws Exception {
		this.cluster = this.launcher
			.withProperties("testapp.stubborn-shutdown=true", "cluster.worker.stop-timeout=5s")
			.start();
		int port = this.cluster.port();
		long stubborn = JsonPath.<Number>read(RawHttp.get(port, "/actuator/cluster/2").body(), "$.pid").longValue();
		assertThat(RawHttp.post(port, "/actuator/cluster", "{\"workers\":1}").status()).isEqualTo(202);
		this.cluster.awaitLine("testapp: blocking in @PreDestroy", Duration.ofSeconds(30));
		assertThat(RawHttp.post(port, "/actuator/cluster", "{\"workers\":2}").status()).isEqualTo(409);
		this.cluster.awaitLine("Worker 2 (pid " + stubborn + ") did not exit within 5 s of being told to stop "
				+ "(cluster.worker.stop-timeout): killing it", Duration.ofSeconds(30));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> RawHttp.post(port, "/actuator/cluster", "{\"workers\":2}").status() == 202);
		await().atMost(Duration.ofSeconds(90)).until(() -> {
			String status = RawHttp.get(port, "/actuator/cluster").body();
			return JsonPath.<List<String>>read(status, "$.workers[*].state").equals(List.of("READY", "READY"));
		});
		assertThat(ProcessHandle.of(stubborn)).isEmpty();
	}

	@Test
	void aReplacementBootsAtALowerCpuPriorityAndServesAtTheMastersWhileARespawnBootsAtTheMasters() throws Exception {
		this.cluster = this.launcher.withProperties("cluster.worker.boot-niceness=7").start();
		int master = niceness(this.cluster.masterPid());
		// Worker 1 is gone: its respawn restores capacity and comes first
		long killed = this.cluster.workers().get(1);
		this.cluster.kill(1);
		assertThat(niceness(bootingReplacement(1, killed))).as("respawn, booting").isEqualTo(master);
		this.cluster.awaitReady();
		// Worker 2 serves until its replacement is ready: that one boots in the background
		long replaced = this.cluster.workers().get(2);
		long replacement = bootingReplacementOfServing(2);
		// Read while it boots, which takes the test application a second or two
		assertThat(niceness(replacement)).as("replacement, booting").isEqualTo(master + 7);
		await().atMost(Duration.ofSeconds(60)).until(() -> !this.cluster.workers().containsValue(replaced));
		this.cluster.awaitReady();
		assertThat(this.cluster.workers()).containsEntry(2, replacement);
		assertThat(nicenessOfEveryThread(replacement)).as("every thread once ready").containsOnly(master);
		assertThat(this.cluster.output())
			.contains("Booted at nice value %d beside the serving workers; serves at %d like them".formatted(master + 7,
					master));
	}

	@Test
	void aMasterThatMayNotLowerANiceValueAgainBootsEveryWorkerAtItsOwn() throws Exception {
		// Root without CAP_SYS_NICE, as in a container, and the default RLIMIT_NICE of 0
		this.cluster = this.launcher
			.withCommandPrefix("setpriv", "--inh-caps=-sys_nice", "--bounding-set=-sys_nice")
			.withProperties("cluster.worker.boot-niceness=10")
			.start();
		assertThat(this.cluster.output()).contains("so cluster.worker.boot-niceness=10 is not applied");
		int master = niceness(this.cluster.masterPid());
		long replacement = bootingReplacementOfServing(2);
		assertThat(niceness(replacement)).as("booting").isEqualTo(master);
		await().atMost(Duration.ofSeconds(60)).until(() -> this.cluster.workers().containsValue(replacement));
		this.cluster.awaitReady();
		assertThat(nicenessOfEveryThread(replacement)).containsOnly(master);
		assertThat(this.cluster.output()).doesNotContain("Booted at nice value");
	}

	/**
	 * Ask for a worker to be replaced, as {@code POST /actuator/cluster/ID} does, and
	 * return the pid of its replacement while it boots.
	 */
	private long bootingReplacementOfServing(int workerId) throws IOException {
		assertThat(RawHttp.post(this.cluster.port(), "/actuator/cluster/" + workerId, "").status()).isEqualTo(202);
		// Until the rollout has started it, the worker shows no replacement
		return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).ignoreExceptions().until(() -> {
			String worker = RawHttp.get(this.cluster.port(), "/actuator/cluster/" + workerId).body();
			Map<String, Object> replacement = JsonPath.read(worker, "$.replacement");
			return (replacement != null && "STARTING".equals(replacement.get("state")))
					? ((Number) replacement.get("pid")).longValue() : null;
		}, (pid) -> pid != null);
	}

	private long bootingReplacement(int workerId, long killed) {
		return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
			String worker = RawHttp.get(this.cluster.port(), "/actuator/cluster/" + workerId).body();
			long pid = JsonPath.<Number>read(worker, "$.pid").longValue();
			return ("STARTING".equals(JsonPath.read(worker, "$.state")) && pid != killed) ? pid : null;
		}, (pid) -> pid != null);
	}

	private static int niceness(long pid) throws IOException {
		return nicenessOfThread(Path.of("/proc", Long.toString(pid), "stat"));
	}

	private static List<Integer> nicenessOfEveryThread(long pid) throws IOException {
		try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
			List<Integer> niceness = new ArrayList<>();
			for (Path task : tasks.toList()) {
				niceness.add(nicenessOfThread(task.resolve("stat")));
			}
			return niceness;
		}
	}

	// Field 19 of a stat file, counted after the command name, which may hold spaces
	private static int nicenessOfThread(Path stat) throws IOException {
		String line = Files.readString(stat);
		return Integer.parseInt(line.substring(line.lastIndexOf(')') + 2).split(" ")[16]);
	}

}
