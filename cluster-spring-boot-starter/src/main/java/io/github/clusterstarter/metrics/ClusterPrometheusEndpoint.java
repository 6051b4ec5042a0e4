package io.github.clusterstarter.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.github.clusterstarter.worker.MasterUnavailableException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@link WebEndpoint @WebEndpoint} that returns the metrics of every worker of the
 * cluster in one Prometheus scrape, each sample labelled with its {@code worker} id. Any
 * worker can answer: it collects the others' metrics through the master. Workers that do
 * not answer within 5 seconds are left out, and named in a comment; a worker whose
 * metrics are too large to send, or a master that does not answer, fails the scrape with
 * 503 and the reason.
 */
@WebEndpoint(id = "clusterprometheus")
public class ClusterPrometheusEndpoint {

	private static final Duration COLLECT_TIMEOUT = Duration.ofSeconds(5);

	private final @Nullable ClusterScrape clusterScrape;

	private final Supplier<String> localScrape;

	/**
	 * Create a new endpoint.
	 * @param clusterScrape the cluster-wide collection, or {@code null} if the
	 * application is not clustered
	 * @param localScrape this process's metrics in the Prometheus text format
	 */
	public ClusterPrometheusEndpoint(@Nullable ClusterScrape clusterScrape, Supplier<String> localScrape) {
		this.clusterScrape = clusterScrape;
		this.localScrape = localScrape;
	}

	/**
	 * Scrape the whole cluster.
	 * @return every worker's metrics
	 */
	@ReadOperation(produces = "text/plain;version=0.0.4;charset=utf-8")
	public WebEndpointResponse<String> scrape() {
		ClusterScrape clusterScrape = this.clusterScrape;
		if (clusterScrape == null) {
			return new WebEndpointResponse<>(this.localScrape.get());
		}
		Map<Integer, ClusterScrape.Part> parts;
		try {
			parts = clusterScrape.collect(COLLECT_TIMEOUT);
		}
		catch (MasterUnavailableException ex) {
			// A scrape that cannot reach the master is a temporary outage, not a server error
			return new WebEndpointResponse<>("Cannot scrape the cluster: %s%n".formatted(ex.getMessage()),
					WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
		Map<Integer, String> texts = new TreeMap<>();
		StringBuilder missing = new StringBuilder();
		for (Map.Entry<Integer, ClusterScrape.Part> entry : parts.entrySet()) {
			ClusterScrape.Part part = entry.getValue();
			if (part.text() != null) {
				texts.put(entry.getKey(), part.text());
			}
			else if (part.answered()) {
				return new WebEndpointResponse<>("Cannot scrape worker %d: %s%n".formatted(entry.getKey(), part.error()),
						WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
			}
			else {
				missing.append("# Worker %d left out: %s%n".formatted(entry.getKey(), part.error()));
			}
		}
		return new WebEndpointResponse<>(missing + PrometheusTextMerger.merge(texts));
	}

}
