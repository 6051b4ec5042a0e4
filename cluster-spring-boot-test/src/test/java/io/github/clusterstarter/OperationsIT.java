package io.github.clusterstarter;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.metrics.PrometheusText;
import io.github.clusterstarter.test.ClusterTest;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.RunningCluster;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The per-process figures, messages between workers, one-worker-only jobs and the
 * cluster-wide scrape of one real cluster, which every test leaves with every worker
 * ready.
 */
@ClusterTest(classes = TestApplication.class,
		properties = { "management.endpoint.health.show-details=always", "testapp.job=true",
				"management.endpoints.web.exposure.include=cluster,health,prometheus,clusterprometheus" })
class OperationsIT {

	private RunningCluster cluster;

	@Test
	void statusShowsWhatEachProcessUses() throws Exception {
		String health = RawHttp.get(this.cluster.port(), "/actuator/health").body();
		assertThat(JsonPath.<String>read(health, "$.components.cluster.status")).isEqualTo("UP");
		assertThat(JsonPath.<Integer>read(health, "$.components.cluster.details.readyWorkers")).isEqualTo(2);
		for (int i = 0; i < 20; i++) {
			RawHttp.get(this.cluster.port(), "/whoami");
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			List<Number> served = JsonPath.read(this.cluster.status(), "$.workers[*].requestsServed");
			return served.stream().mapToLong(Number::longValue).sum() >= 20;
		});
		String status = this.cluster.status();
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
		for (ProcessHandle worker : this.cluster.workerProcesses()) {
			assertThat(RunningCluster.commandLine(worker.pid())).contains("-XX:+ExitOnOutOfMemoryError");
		}
	}

	@Test
	void oneWorkerOnlyJobRunsOnOneWorkerAndMovesWhenItDies() throws Exception {
		await().atMost(Duration.ofSeconds(30)).until(() -> jobPids(0).size() >= 1 && jobRuns(0) >= 5);
		int seen = this.cluster.outputLines().size();
		await().atMost(Duration.ofSeconds(10)).until(() -> jobRuns(seen) >= 10);
		Set<Long> runners = jobPids(seen);
		assertThat(runners).as("pids running the job").hasSize(1);
		long primary = runners.iterator().next();
		String status = this.cluster.status();
		int primaryId = JsonPath.read(status, "$.master.primaryWorker");
		assertThat(this.cluster.workers().get(primaryId)).isEqualTo(primary);
		this.cluster.kill(primaryId);
		int afterKill = this.cluster.outputLines().size();
		await().atMost(Duration.ofSeconds(30)).until(() -> jobRuns(afterKill) >= 10);
		Set<Long> newRunners = jobPids(afterKill);
		assertThat(newRunners).hasSize(1).doesNotContain(primary);
	}

	@Test
	void messagesReachEveryWorkerOnceAndSendReachesOnlyItsTarget() throws Exception {
		assertThat(RawHttp.post(this.cluster.port(), "/notes/broadcast?text=hello", "").body()).isEqualTo("2");
		await().atMost(Duration.ofSeconds(10)).until(() -> notesByWorker().values().stream()
			.allMatch((notes) -> notes.equals(List.of("hello"))) && notesByWorker().size() == 2);
		assertThat(RawHttp.post(this.cluster.port(), "/notes/send?to=2&text=only-two", "").status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> List.of("hello", "only-two").equals(notesByWorker().get(2)));
		assertThat(notesByWorker().get(1)).containsExactly("hello");
		assertThat(RawHttp.post(this.cluster.port(), "/notes/send?to=9&text=nobody", "").status()).isEqualTo(500);
	}

	/**
	 * Ask {@code /notes} over fresh connections until both workers answered.
	 */
	private Map<Integer, List<String>> notesByWorker() throws IOException {
		Map<Integer, List<String>> notes = new TreeMap<>();
		for (int i = 0; i < 20 && notes.size() < 2; i++) {
			String body = RawHttp.get(this.cluster.port(), "/notes").body();
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
		List<String> output = this.cluster.outputLines();
		return output.subList(Math.min(fromLine, output.size()), output.size())
			.stream()
			.filter((line) -> line.startsWith("JOB-RUN pid="));
	}

	@Test
	void clusterScrapeHoldsEveryWorkersSeriesLabelledWithItsId() throws Exception {
		for (int i = 0; i < 10; i++) {
			RawHttp.get(this.cluster.port(), "/whoami");
		}
		RawHttp.Response response = RawHttp.get(this.cluster.port(), "/actuator/clusterprometheus");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.headers()).containsIgnoringCase("Content-Type: text/plain;version=0.0.4");
		List<PrometheusText.Sample> samples = PrometheusText.parse(response.body());
		assertThat(samples).allSatisfy((sample) -> assertThat(sample.labels()).containsKey("worker"));
		Set<String> workersWithHeap = samples.stream()
			.filter((sample) -> sample.name().equals("jvm_memory_used_bytes"))
			.map((sample) -> sample.labels().get("worker"))
			.collect(Collectors.toSet());
		assertThat(workersWithHeap).containsExactlyInAnyOrder("1", "2");
		// Each worker reports its own process: the pid labelled 1 is worker 1's
		Map<String, Double> pids = byWorker(samples, "testapp_process_id");
		Map<String, Double> startTimes = byWorker(samples, "process_start_time_seconds");
		assertThat(pids).containsOnlyKeys("1", "2");
		assertThat(startTimes).containsOnlyKeys("1", "2");
		for (int id = 1; id <= 2; id++) {
			long pid = this.cluster.workers().get(id);
			assertThat(pids.get(Integer.toString(id)).longValue()).as("pid of worker %d", id).isEqualTo(pid);
			Instant started = ProcessHandle.of(pid).orElseThrow().info().startInstant().orElseThrow();
			// The JVM records its start just after the process starts; the kernel reports its
			// boot time, from which the JDK computes process start times, in whole seconds
			assertThat(startTimes.get(Integer.toString(id))).as("start time of worker %d", id)
				.isCloseTo(started.toEpochMilli() / 1000.0, within(2.0));
		}
		await().atMost(Duration.ofSeconds(15)).until(() -> {
			List<PrometheusText.Sample> scraped = PrometheusText
				.parse(RawHttp.get(this.cluster.port(), "/actuator/prometheus").body());
			return scraped.stream()
				.anyMatch((sample) -> sample.name().equals("cluster_workers") && "READY".equals(sample.labels().get("state"))
						&& sample.value() == 2.0)
					&& scraped.stream()
						.filter((sample) -> sample.name().equals("cluster_worker_memory_rss_bytes"))
						.count() == 2;
		});
	}

	private static Map<String, Double> byWorker(List<PrometheusText.Sample> samples, String name) {
		return samples.stream()
			.filter((sample) -> sample.name().equals(name))
			.collect(Collectors.toMap((sample) -> sample.labels().get("worker"), PrometheusText.Sample::value));
	}

}
