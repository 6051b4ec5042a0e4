package io.github.clusterstarter.metrics;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PrometheusTextMergerTests {

	private static final String SCRAPE = """
			# HELP requests_total Requests
			# TYPE requests_total counter
			requests_total{uri="/a"} 3.0
			requests_total{uri="/b"} 1.0
			# HELP heap_bytes Heap
			# TYPE heap_bytes gauge
			heap_bytes 42.0
			# HELP latency_seconds Latency
			# TYPE latency_seconds histogram
			latency_seconds_bucket{le="+Inf"} 4
			latency_seconds_count 4
			latency_seconds_sum 0.5
			""";

	@Test
	void labelsEverySampleAndKeepsFamiliesTogether() {
		String merged = PrometheusTextMerger.merge(Map.of(1, SCRAPE, 2, SCRAPE.replace("42.0", "43.0")));
		List<PrometheusText.Sample> samples = PrometheusText.parse(merged);
		assertThat(samples).hasSize(12).allSatisfy((sample) -> assertThat(sample.labels()).containsKey("worker"));
		assertThat(samples).filteredOn((sample) -> sample.name().equals("heap_bytes"))
			.extracting(PrometheusText.Sample::value)
			.containsExactlyInAnyOrder(42.0, 43.0);
		assertThat(merged).containsOnlyOnce("# TYPE requests_total counter");
	}

	@Test
	void addsTheLabelToEveryFormOfSample() {
		assertThat(PrometheusTextMerger.labelled("up 1", 3)).isEqualTo("up{worker=\"3\"} 1");
		assertThat(PrometheusTextMerger.labelled("up{} 1", 3)).isEqualTo("up{worker=\"3\"} 1");
		assertThat(PrometheusTextMerger.labelled("up{a=\"x y\"} 1 1700000000", 3))
			.isEqualTo("up{worker=\"3\",a=\"x y\"} 1 1700000000");
		assertThat(PrometheusTextMerger.labelled("up{worker=\"a\",b=\"c\",worker_pool=\"d\"} 1", 3))
			.isEqualTo("up{worker=\"3\",exported_worker=\"a\",b=\"c\",worker_pool=\"d\"} 1");
	}

	@Test
	void concatenatedScrapesAreNotValid() {
		assertThatIllegalArgumentException().isThrownBy(() -> PrometheusText.parse(SCRAPE + SCRAPE))
			.withMessageContaining("samples of requests_total are not together");
	}

}
