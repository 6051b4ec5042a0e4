package io.github.clusterstarter.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.clusterstarter.actuate.ClusterDescriptor;
import io.github.clusterstarter.worker.WorkerAgent;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;

/**
 * Micrometer meters of the cluster as the master sees it, registered in every worker and
 * refreshed every few seconds: workers by state, desired workers, replacements by reason,
 * and every worker's resident memory and heap, tagged with its {@code id}.
 */
public class ClusterMeterBinder implements MeterBinder, DisposableBean {

	private static final Log logger = LogFactory.getLog(ClusterMeterBinder.class);

	private static final List<String> STATES = List.of("PENDING", "STARTING", "READY", "STOPPING", "RESTARTING",
			"STOPPED");

	private static final List<String> REASONS = List.of("crash", "timeout", "boot-failure", "ready-timeout",
			"rollout", "recycle");

	private static final Duration REFRESH = Duration.ofSeconds(5);

	private final WorkerAgent agent;

	private final AtomicReference<@Nullable ClusterDescriptor> snapshot = new AtomicReference<>();

	private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "cluster-metrics");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Create a new binder.
	 * @param agent the worker agent
	 */
	public ClusterMeterBinder(WorkerAgent agent) {
		this.agent = agent;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String state : STATES) {
			Gauge.builder("cluster.workers", this, (binder) -> binder.count(state))
				.tag("state", state)
				.description("Workers of the cluster in each state")
				.register(registry);
		}
		Gauge.builder("cluster.workers.desired", this, ClusterMeterBinder::desired)
			.description("Workers the master keeps running")
			.register(registry);
		for (String reason : REASONS) {
			FunctionCounter.builder("cluster.worker.restarts", this, (binder) -> binder.replacements(reason))
				.tag("reason", reason)
				.description("Worker processes started again, by reason")
				.register(registry);
		}
		MultiGauge rss = MultiGauge.builder("cluster.worker.memory.rss").baseUnit("bytes")
			.description("Resident memory of each worker process")
			.register(registry);
		MultiGauge heap = MultiGauge.builder("cluster.worker.memory.heap.used").baseUnit("bytes")
			.description("Heap in use in each worker process")
			.register(registry);
		this.refresher.scheduleWithFixedDelay(() -> refresh(rss, heap), 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void refresh(MultiGauge rss, MultiGauge heap) {
		try {
			ClusterDescriptor cluster = ClusterDescriptor.request(this.agent, REFRESH);
			this.snapshot.set(cluster);
			List<MultiGauge.Row<?>> rssRows = new ArrayList<>();
			List<MultiGauge.Row<?>> heapRows = new ArrayList<>();
			for (ClusterDescriptor.WorkerDescriptor worker : cluster.workers()) {
				// Not "worker": the cluster-wide scrape labels every series with the worker that reported it
				Tags tags = Tags.of("id", Integer.toString(worker.id()));
				if (worker.rssBytes() != null) {
					rssRows.add(MultiGauge.Row.of(tags, worker.rssBytes()));
				}
				if (worker.heapUsedBytes() != null) {
					heapRows.add(MultiGauge.Row.of(tags, worker.heapUsedBytes()));
				}
			}
			rss.register(rssRows, true);
			heap.register(heapRows, true);
		}
		catch (RuntimeException ex) {
			logger.debug("Cannot refresh the cluster metrics", ex);
		}
	}

	private double count(String state) {
		ClusterDescriptor cluster = this.snapshot.get();
		return (cluster != null) ? cluster.workers().stream().filter((worker) -> state.equals(worker.state())).count()
				: Double.NaN;
	}

	private double desired() {
		ClusterDescriptor cluster = this.snapshot.get();
		return (cluster != null && cluster.master() != null) ? cluster.master().desiredWorkers() : Double.NaN;
	}

	private double replacements(String reason) {
		ClusterDescriptor cluster = this.snapshot.get();
		return (cluster != null && cluster.master() != null)
				? cluster.master().replacements().getOrDefault(reason, 0L) : 0;
	}

	@Override
	public void destroy() {
		this.refresher.shutdownNow();
	}

}
