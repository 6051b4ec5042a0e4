package io.github.clusterstarter.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import io.github.clusterstarter.worker.WorkerAgent;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@link WebEndpoint @WebEndpoint} that returns the metrics of every worker of the
 * cluster in one Prometheus scrape, each sample labelled with its {@code worker} id. Any
 * worker can answer: it collects the others' metrics through the master. Workers that do
 * not answer within 5 seconds are left out, and named in a comment.
 */
@WebEndpoint(id = "clusterprometheus")
public class ClusterPrometheusEndpoint {

	private static final Duration COLLECT_TIMEOUT = Duration.ofSeconds(5);

	private final @Nullable WorkerAgent agent;

	private final Supplier<String> localScrape;

	/**
	 * Create a new endpoint.
	 * @param agent the worker agent, or {@code null} if the application is not clustered
	 * @param localScrape this process's metrics in the Prometheus text format
	 */
	public ClusterPrometheusEndpoint(@Nullable WorkerAgent agent, Supplier<String> localScrape) {
		this.agent = agent;
		this.localScrape = localScrape;
	}

	/**
	 * Scrape the whole cluster.
	 * @return every worker's metrics
	 */
	@ReadOperation(produces = "text/plain;version=0.0.4;charset=utf-8")
	public String scrape() {
		WorkerAgent agent = this.agent;
		if (agent == null) {
			return this.localScrape.get();
		}
		Map<Integer, String> scrapes = agent.collectMetrics(COLLECT_TIMEOUT);
		return PrometheusTextMerger.merge(scrapes);
	}

}
