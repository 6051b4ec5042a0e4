package io.github.clusterstarter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterProcess;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
import io.github.clusterstarter.test.LoadGenerator;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The watchdog, recycling and the per-process figures of a real cluster.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class OperationsIT {

	private ClusterProcess cluster;

	private int port;

	@AfterEach
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	private void start(String... arguments) {
		String[] all = new String[arguments.length + 4];
		all[0] = "--server.address=127.0.0.1";
		all[1] = "--server.port=0";
		all[2] = "--management.endpoints.web.exposure.include=health,cluster";
		all[3] = "--cluster.workers=2";
		System.arraycopy(arguments, 0, all, 4, arguments.length);
		this.cluster = ClusterProcess.startClass(ClusterProcess.testClassPath(), TestApplication.class.getName(), all);
		this.port = this.cluster.awaitPort();
		this.cluster.awaitLine("Cluster ready", Duration.ofSeconds(90));
	}

	@Test
	void frozenWorkerIsKilledAndReplacedByTheWatchdog() throws Exception {
		start("--cluster.worker.timeout=3s");
		long frozen = workerPid(1);
		ClusterProcess.signal(frozen, "STOP");
		// The timeout, the thread dump grace and a boot, with a wide margin for slow machines
		await().atMost(Duration.ofSeconds(3 + 60)).until(() -> {
			String worker = RawHttp.get(this.port, "/actuator/cluster/1").body();
			return "READY".equals(JsonPath.read(worker, "$.state"))
					&& ((Number) JsonPath.read(worker, "$.pid")).longValue() != frozen;
		});
		String worker = RawHttp.get(this.port, "/actuator/cluster/1").body();
		assertThat(JsonPath.<String>read(worker, "$.lastReplacement")).isEqualTo("timeout");
		assertThat(JsonPath.<Integer>read(worker, "$.lastExit.status")).isEqualTo(137);
		assertThat(this.cluster.outputText()).contains("(pid " + frozen + ") sent no heartbeat for 3 s");
		assertThat(this.cluster.workers()).noneMatch((handle) -> handle.pid() == frozen);
	}

	@Test
	void maxRequestsRecyclesWorkersWithoutDroppingRequests() throws Exception {
		start("--cluster.worker.max-requests=3000", "--cluster.worker.max-requests-jitter=500");
		try (LoadGenerator load = LoadGenerator.newConnectionPerRequest(this.port, "/whoami", 4)) {
			await().atMost(Duration.ofSeconds(180)).until(() -> restarts() >= 3);
			load.close();
			System.out.printf("%d requests answered with 200, %d failed%n", load.succeeded(), load.failures().size());
			assertThat(load.failures()).as("failed requests").isEmpty();
		}
		String status = RawHttp.get(this.port, "/actuator/cluster").body();
		assertThat(JsonPath.<List<String>>read(status, "$.workers[*].lastReplacement")).contains("recycle");
		assertThat(JsonPath.<String>read(status, "$.rollout.trigger")).contains("(cluster.worker.max-requests)");
	}

	@Test
	void statusShowsWhatEachProcessUses() throws Exception {
		start("--management.endpoint.health.show-details=always");
		String health = RawHttp.get(this.port, "/actuator/health").body();
		assertThat(JsonPath.<String>read(health, "$.components.cluster.status")).isEqualTo("UP");
		assertThat(JsonPath.<Integer>read(health, "$.components.cluster.details.readyWorkers")).isEqualTo(2);
		for (int i = 0; i < 20; i++) {
			RawHttp.get(this.port, "/whoami");
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			List<Number> served = JsonPath.read(RawHttp.get(this.port, "/actuator/cluster").body(),
					"$.workers[*].requestsServed");
			return served.stream().mapToLong(Number::longValue).sum() >= 20;
		});
		String status = RawHttp.get(this.port, "/actuator/cluster").body();
		assertThat(JsonPath.<Number>read(status, "$.master.rssBytes").longValue()).isPositive();
		for (int id = 0; id < 2; id++) {
			String worker = "$.workers[" + id + "].";
			assertThat(JsonPath.<Number>read(status, worker + "rssBytes").longValue()).isGreaterThan(10_000_000);
			assertThat(JsonPath.<Number>read(status, worker + "heapUsedBytes").longValue()).isPositive();
			assertThat(JsonPath.<Number>read(status, worker + "heapMaxBytes").longValue()).isPositive();
			assertThat(JsonPath.<Number>read(status, worker + "cpuPercent").doubleValue()).isNotNegative();
			assertThat(JsonPath.<Number>read(status, worker + "requestsInFlight").longValue()).isNotNegative();
			assertThat(JsonPath.<String>read(status, worker + "lastHeartbeat")).isNotNull();
		}
		for (ProcessHandle worker : this.cluster.workers()) {
			assertThat(ClusterProcess.commandLine(worker.pid())).contains("-XX:+ExitOnOutOfMemoryError");
		}
	}

	private long restarts() throws IOException {
		List<Number> restarts = JsonPath.read(RawHttp.get(this.port, "/actuator/cluster").body(),
				"$.workers[*].restarts");
		return restarts.stream().mapToLong(Number::longValue).sum();
	}

	private long workerPid(int id) throws IOException {
		return ((Number) JsonPath.read(RawHttp.get(this.port, "/actuator/cluster/" + id).body(), "$.pid"))
			.longValue();
	}

}
