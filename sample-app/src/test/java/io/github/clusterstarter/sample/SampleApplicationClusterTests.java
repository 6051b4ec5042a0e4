package io.github.clusterstarter.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterTest;
import io.github.clusterstarter.test.RunningCluster;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as a real cluster of two workers, which {@link SampleApplicationTests}, a
 * {@code @SpringBootTest} that runs it as one process, cannot show.
 */
@ClusterTest(workers = 2, properties = "sample.report.interval=200ms")
class SampleApplicationClusterTests {

	private static final Pattern REPORT = Pattern.compile("\\[worker-(\\d+)].*Greeting report: ");

	@Test
	void changedGreetingReachesBothWorkers(RunningCluster cluster) {
		RestClient client = RestClient.create(cluster.url("/"));
		String changed = client.put().uri("/greeting?text=Bonjour").retrieve().body(String.class);
		assertThat(JsonPath.<Integer>read(changed, "$.workersNotified")).isEqualTo(2);
		Map<Integer, String> digests = cluster.awaitAnswersFromEveryWorker("/greeting/digest",
				(body) -> JsonPath.<Integer>read(body, "$.length") == "Bonjour".length());
		assertThat(digests).containsOnlyKeys(1, 2);
		assertThat(digests.values().stream().map((body) -> JsonPath.<Number>read(body, "$.pid").longValue()))
			.containsExactlyElementsOf(cluster.workers().values());
	}

	@Test
	void reportRunsOnThePrimaryWorkerOnly(RunningCluster cluster) {
		int from = cluster.outputLines().size();
		await().atMost(Duration.ofSeconds(30)).until(() -> reportingWorkers(cluster, from).size() >= 5);
		int primary = JsonPath.read(cluster.status(), "$.master.primaryWorker");
		assertThat(Set.copyOf(reportingWorkers(cluster, from))).containsExactly(primary);
	}

	/**
	 * Return the id of the worker that wrote each report since the given line.
	 */
	private static List<Integer> reportingWorkers(RunningCluster cluster, int fromLine) {
		List<String> lines = cluster.outputLines();
		return lines.subList(fromLine, lines.size())
			.stream()
			.map(REPORT::matcher)
			.filter(Matcher::find)
			.map((report) -> Integer.parseInt(report.group(1)))
			.toList();
	}

	@Test
	void killedWorkerIsReplacedWhileTheOtherKeepsItsPid(RunningCluster cluster) {
		Map<Integer, Long> before = cluster.workers();
		cluster.kill(1);
		cluster.awaitReady();
		Map<Integer, Long> after = cluster.workers();
		assertThat(after).containsOnlyKeys(1, 2).containsEntry(2, before.get(2));
		assertThat(after.get(1)).isNotEqualTo(before.get(1));
	}

}
