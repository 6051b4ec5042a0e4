package io.github.clusterstarter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.metrics.PrometheusText;
import io.github.clusterstarter.test.ClusterTest;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.RunningCluster;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster-wide Prometheus scrape of four workers of {@link TestApplication} that
 * each register 12,500 gauges: more than a megabyte of text per worker.
 */
@ClusterTest(workers = ClusterScrapeIT.WORKERS, classes = TestApplication.class,
		properties = { "testapp.meters=" + ClusterScrapeIT.METERS,
				"management.endpoints.web.exposure.include=clusterprometheus" })
class ClusterScrapeIT {

	static final int WORKERS = 4;

	static final int METERS = 12_500;

	private static final Set<String> WORKER_IDS = Set.of("1", "2", "3", "4");

	private static final int CONCURRENT_SCRAPES = 8;

	@Test
	void scrapesHoldEverySeriesOfEveryWorkerAlsoWhenEightRunAtOnce(RunningCluster cluster) throws Exception {
		int port = cluster.port();
		assertHoldsEverySeriesOfEveryWorker(RawHttp.get(port, "/actuator/clusterprometheus"));
		ExecutorService scrapers = Executors.newFixedThreadPool(CONCURRENT_SCRAPES);
		try {
			List<Future<RawHttp.Response>> scrapes = new ArrayList<>();
			for (int i = 0; i < CONCURRENT_SCRAPES; i++) {
				scrapes.add(scrapers.submit(() -> RawHttp.get(port, "/actuator/clusterprometheus")));
			}
			for (Future<RawHttp.Response> scrape : scrapes) {
				assertHoldsEverySeriesOfEveryWorker(scrape.get(120, TimeUnit.SECONDS));
			}
		}
		finally {
			scrapers.shutdownNow();
		}
		String status = cluster.status();
		assertThat(JsonPath.<List<Integer>>read(status, "$.workers[*].restarts")).containsOnly(0).hasSize(WORKERS);
	}

	/**
	 * Check a scrape without printing its tens of thousands of samples when it fails.
	 */
	private void assertHoldsEverySeriesOfEveryWorker(RawHttp.Response scrape) {
		assertThat(scrape.status()).as("status of the scrape").isEqualTo(200);
		List<PrometheusText.Sample> samples = PrometheusText.parse(scrape.body());
		// The merged scrape names the workers it left out in comments
		List<String> comments = scrape.body()
			.lines()
			.filter((line) -> line.startsWith("#") && !line.startsWith("# HELP ") && !line.startsWith("# TYPE "))
			.toList();
		assertThat(samples.size()).as("series in the scrape, whose comments are %s", comments)
			.isGreaterThanOrEqualTo(WORKERS * METERS);
		assertThat(samples.stream().filter((sample) -> !WORKER_IDS.contains(sample.labels().get("worker"))).limit(10))
			.as("series without the label of a worker")
			.isEmpty();
		Map<String, Long> fillersByWorker = samples.stream()
			.filter((sample) -> sample.name().equals("testapp_filler"))
			.collect(Collectors.groupingBy((sample) -> sample.labels().get("worker"), Collectors.counting()));
		assertThat(fillersByWorker).as("testapp_filler series by worker")
			.isEqualTo(Map.of("1", (long) METERS, "2", (long) METERS, "3", (long) METERS, "4", (long) METERS));
	}

}
