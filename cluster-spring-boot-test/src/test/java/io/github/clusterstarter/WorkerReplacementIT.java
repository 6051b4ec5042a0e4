package io.github.clusterstarter;

import java.time.Duration;
import java.util.List;

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
 * The watchdog, recycling and the stop timeout of a real cluster, each on a cluster of
 * its own, set up to replace workers soon; the watchdog and recycling on every web
 * server.
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

	@OnEveryServer
	void frozenWorkerIsKilledAndReplacedByTheWatchdog(WebStack stack) throws Exception {
		this.cluster = stack.launcher().withWorkers(2).withProperties("cluster.worker.timeout=3s").start();
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

}
