package io.github.clusterstarter;

import java.time.Duration;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterLauncher;
import io.github.clusterstarter.test.ClusterTest;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.RunningCluster;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What one JVM did alone and N workers must do together: evictions of an in-process
 * cache reach every worker, and per-process state that the cluster does not share is
 * reported once for the whole cluster.
 */
@ClusterTest(classes = TestApplication.class, properties = { "testapp.catalog=true", "testapp.map-sessions=true",
		"spring.datasource.url=jdbc:h2:mem:catalog" })
class CacheEvictionIT {

	private RunningCluster cluster;

	@Test
	void evictionOnOneWorkerIsSeenOnTheOther() throws Exception {
		Map<Integer, String> cached = this.cluster.awaitAnswersFromEveryWorker("/catalog/book-1");
		// Cached: each worker answers its own value again
		assertThat(this.cluster.awaitAnswersFromEveryWorker("/catalog/book-1")).isEqualTo(cached);
		Map<Integer, String> otherEntry = this.cluster.awaitAnswersFromEveryWorker("/catalog/book-2");
		int evictedBy = worker(RawHttp.send(this.cluster.port(), "DELETE", "/catalog/book-1", "").body());
		Map<Integer, String> after = this.cluster.awaitAnswersFromEveryWorker("/catalog/book-1",
				(body) -> !cached.containsValue(body));
		assertThat(after).containsOnlyKeys(1, 2);
		after.forEach((worker, body) -> assertThat(value(body)).isNotEqualTo(value(cached.get(worker))));
		assertThat(this.cluster.awaitAnswersFromEveryWorker("/catalog/book-2")).as("kept after evicting on worker %d",
				evictedBy)
			.isEqualTo(otherEntry);
	}

	@Test
	void clearOnOneWorkerIsSeenOnTheOther() throws Exception {
		Map<Integer, String> cached = this.cluster.awaitAnswersFromEveryWorker("/catalog/book-3");
		RawHttp.send(this.cluster.port(), "DELETE", "/catalog", "");
		Map<Integer, String> after = this.cluster.awaitAnswersFromEveryWorker("/catalog/book-3",
				(body) -> !cached.containsValue(body));
		assertThat(after).containsOnlyKeys(1, 2);
	}

	@Test
	void keyThatCannotBeSentFailsLoudlyAndEvictsNothing() throws Exception {
		RawHttp.Response response = RawHttp.post(this.cluster.port(), "/catalog/evict-unserializable", "");
		assertThat(response.status()).isEqualTo(500);
		this.cluster.awaitLine("Cannot evict a key of type java.lang.Object from cache 'catalog' on every worker",
				Duration.ofSeconds(10));
	}

	@Test
	void keyThatCannotBeReadClearsTheCacheAndTheWorkerKeepsServing() throws Exception {
		Map<Integer, String> cached = this.cluster.awaitAnswersFromEveryWorker("/catalog/book-4");
		int sender = worker(RawHttp.post(this.cluster.port(), "/catalog/evict-garbage", "").body());
		this.cluster.awaitLine("Cannot read a key evicted from cache 'catalog' by worker pid 0; clearing the whole "
				+ "cache here", Duration.ofSeconds(10));
		Map<Integer, String> after = this.cluster.awaitAnswersFromEveryWorker("/catalog/book-4");
		int other = (sender == 1) ? 2 : 1;
		assertThat(value(after.get(other))).isNotEqualTo(value(cached.get(other)));
		assertThat(this.cluster.workers()).hasSize(2);
	}

	@Test
	void perProcessStateIsReportedOnceForTheCluster() {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(count("Per-process state: an in-memory database jdbc:h2:mem:catalog")).isOne();
			assertThat(count("Per-process state: bean 'mapSessionRepository'")).isOne();
		});
		assertThat(this.cluster.outputLines()
			.stream()
			.filter((line) -> line.contains("Per-process state: an in-memory database"))
			.findFirst()
			.orElseThrow()).contains("[master]").contains("Fix: point spring.datasource.url at a database server");
	}

	@Test
	void fileBasedH2DatabaseFailsBeforeAnyWorkerStarts() {
		try (RunningCluster failing = ClusterLauncher.forApplication(TestApplication.class)
			.withWorkers(2)
			.withProperties("spring.datasource.url=jdbc:h2:file:./target/catalog")
			.startWithoutWaiting()) {
			assertThat(failing.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
			assertThat(failing.output()).contains("APPLICATION FAILED TO START",
					"spring.datasource.url is the file-based H2 database jdbc:h2:file:./target/catalog",
					"Add ';AUTO_SERVER=TRUE' to spring.datasource.url");
			assertThat(failing.output()).doesNotContain("Started Worker");
		}
	}

	private long count(String text) {
		return this.cluster.outputLines().stream().filter((line) -> line.contains(text)).count();
	}

	private static int worker(String body) {
		return JsonPath.read(body, "$.worker");
	}

	private static String value(String body) {
		return JsonPath.read(body, "$.value");
	}

}
