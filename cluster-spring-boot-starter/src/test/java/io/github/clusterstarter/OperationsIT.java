package io.github.clusterstarter;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterProcess;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
import io.github.clusterstarter.test.LoadGenerator;
import io.github.clusterstarter.test.OnEveryServer;
import io.github.clusterstarter.test.PrometheusText;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.WebStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The watchdog, recycling and the per-process figures of a real cluster, the first three
 * on each web server.
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
		start(WebStack.TOMCAT_MVC, arguments);
	}

	private void start(WebStack stack, String... arguments) {
		List<String> all = new ArrayList<>(List.of("--server.port=0", "--cluster.workers=2"));
		all.addAll(Arrays.asList(arguments));
		this.cluster = ClusterProcess.startTestApplication(stack, all.toArray(String[]::new));
		this.port = this.cluster.awaitPort();
		this.cluster.awaitLine("Cluster ready", Duration.ofSeconds(90));
	}

	@OnEveryServer
	void frozenWorkerIsKilledAndReplacedByTheWatchdog(WebStack stack) throws Exception {
		start(stack, "--cluster.worker.timeout=3s");
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

	@OnEveryServer
	void maxRequestsRecyclesWorkersWithoutDroppingRequests(WebStack stack) throws Exception {
		start(stack, "--cluster.worker.max-requests=3000", "--cluster.worker.max-requests-jitter=500");
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

	@OnEveryServer
	void statusShowsWhatEachProcessUses(WebStack stack) throws Exception {
		start(stack, "--management.endpoint.health.show-details=always");
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

	@Test
	void oneWorkerOnlyJobRunsOnOneWorkerAndMovesWhenItDies() throws Exception {
		start("--testapp.job=true");
		await().atMost(Duration.ofSeconds(30)).until(() -> jobPids(0).size() >= 1 && jobRuns(0) >= 5);
		int seen = this.cluster.output().size();
		await().atMost(Duration.ofSeconds(10)).until(() -> jobRuns(seen) >= 10);
		Set<Long> runners = jobPids(seen);
		assertThat(runners).as("pids running the job").hasSize(1);
		long primary = runners.iterator().next();
		String status = RawHttp.get(this.port, "/actuator/cluster").body();
		int primaryId = JsonPath.read(status, "$.master.primaryWorker");
		assertThat(workerPid(primaryId)).isEqualTo(primary);
		ClusterProcess.signal(primary, "KILL");
		int afterKill = this.cluster.output().size();
		await().atMost(Duration.ofSeconds(30)).until(() -> jobRuns(afterKill) >= 10);
		Set<Long> newRunners = jobPids(afterKill);
		assertThat(newRunners).hasSize(1).doesNotContain(primary);
	}

	@Test
	void messagesReachEveryWorkerOnceAndSendReachesOnlyItsTarget() throws Exception {
		start();
		assertThat(RawHttp.post(this.port, "/notes/broadcast?text=hello", "").body()).isEqualTo("2");
		await().atMost(Duration.ofSeconds(10)).until(() -> notesByWorker().values().stream()
			.allMatch((notes) -> notes.equals(List.of("hello"))) && notesByWorker().size() == 2);
		assertThat(RawHttp.post(this.port, "/notes/send?to=2&text=only-two", "").status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> List.of("hello", "only-two").equals(notesByWorker().get(2)));
		assertThat(notesByWorker().get(1)).containsExactly("hello");
		assertThat(RawHttp.post(this.port, "/notes/send?to=9&text=nobody", "").status()).isEqualTo(500);
	}

	/**
	 * Ask {@code /notes} over fresh connections until both workers answered.
	 */
	private Map<Integer, List<String>> notesByWorker() throws IOException {
		Map<Integer, List<String>> notes = new TreeMap<>();
		for (int i = 0; i < 20 && notes.size() < 2; i++) {
			String body = RawHttp.get(this.port, "/notes").body();
			notes.put(JsonPath.read(body, "$.worker"), JsonPath.read(body, "$.received"));
		}
		return notes;
	}

	private long jobRuns(int fromLine) {
		return jobLines(fromLine).count();
	}

	private Set<Long> jobPids(int fromLine) {
		return jobLines(fromLine).map((line) -> Long.parseLong(line.substring(line.indexOf("pid=") + 4).trim()))
			.collect(Collectors.toSet());
	}

	private Stream<String> jobLines(int fromLine) {
		List<String> output = this.cluster.output();
		return output.subList(Math.min(fromLine, output.size()), output.size())
			.stream()
			.filter((line) -> line.startsWith("JOB-RUN pid="));
	}

	@Test
	void clusterScrapeHoldsEveryWorkersSeriesLabelledWithItsId() throws Exception {
		start("--management.endpoints.web.exposure.include=cluster,prometheus,clusterprometheus");
		for (int i = 0; i < 10; i++) {
			RawHttp.get(this.port, "/whoami");
		}
		RawHttp.Response response = RawHttp.get(this.port, "/actuator/clusterprometheus");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.headers()).containsIgnoringCase("Content-Type: text/plain;version=0.0.4");
		List<PrometheusText.Sample> samples = PrometheusText.parse(response.body());
		assertThat(samples).allSatisfy((sample) -> assertThat(sample.labels()).containsKey("worker"));
		Set<String> workersWithHeap = samples.stream()
			.filter((sample) -> sample.name().equals("jvm_memory_used_bytes"))
			.map((sample) -> sample.labels().get("worker"))
			.collect(Collectors.toSet());
		assertThat(workersWithHeap).containsExactlyInAnyOrder("1", "2");
		// Each worker reports its own process: the start time labelled 1 is worker 1's
		Map<String, Double> startTimes = samples.stream()
			.filter((sample) -> sample.name().equals("process_start_time_seconds"))
			.collect(Collectors.toMap((sample) -> sample.labels().get("worker"), PrometheusText.Sample::value));
		assertThat(startTimes).containsOnlyKeys("1", "2");
		assertThat(startTimes.get("1")).isNotEqualTo(startTimes.get("2"));
		for (int id = 1; id <= 2; id++) {
			Instant started = ProcessHandle.of(workerPid(id)).orElseThrow().info().startInstant().orElseThrow();
			// The JVM records its start just after the process starts; the kernel reports its
			// boot time, from which the JDK computes process start times, in whole seconds
			assertThat(startTimes.get(Integer.toString(id))).as("start time of worker %d", id)
				.isCloseTo(started.toEpochMilli() / 1000.0, within(2.0));
		}
		await().atMost(Duration.ofSeconds(15)).until(() -> {
			List<PrometheusText.Sample> scraped = PrometheusText
				.parse(RawHttp.get(this.port, "/actuator/prometheus").body());
			return scraped.stream()
				.anyMatch((sample) -> sample.name().equals("cluster_workers") && "READY".equals(sample.labels().get("state"))
						&& sample.value() == 2.0)
					&& scraped.stream()
						.filter((sample) -> sample.name().equals("cluster_worker_memory_rss_bytes"))
						.count() == 2;
		});
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
