package io.github.clusterstarter.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.github.clusterstarter.status.ClusterStatus;
import io.github.clusterstarter.status.ReplacementReason;
import io.github.clusterstarter.status.WorkerState;
import io.github.clusterstarter.worker.ClusterControl;
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
import org.springframework.scheduling.TaskScheduler;

/**
 * Micrometer meters of the cluster as the master sees it, registered in every worker and
 * refreshed every few seconds: workers by state, desired workers, replacements by reason,
 * and every worker's resident memory and heap, tagged with its {@code id}.
 */
public class ClusterMeterBinder implements MeterBinder, DisposableBean {

	private static final Log logger = LogFactory.getLog(ClusterMeterBinder.class);

	private static final Duration REFRESH = Duration.ofSeconds(5);

	private final ClusterControl control;

	private final AtomicReference<@Nullable ClusterStatus> snapshot = new AtomicReference<>();

	private final TaskScheduler scheduler;

	private @Nullable ScheduledFuture<?> refreshing;

	/**
	 * Create a new binder.
	 * @param control the cluster control
	 * @param scheduler the worker's scheduler, which refreshes the meters
	 */
	public ClusterMeterBinder(ClusterControl control, TaskScheduler scheduler) {
		this.control = control;
		this.scheduler = scheduler;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (WorkerState state : WorkerState.values()) {
			Gauge.builder("cluster.workers", this, (binder) -> binder.count(state))
				.tag("state", state.name())
				.description("Worker and standby processes of the cluster in each state")
				.register(registry);
		}
		Gauge.builder("cluster.workers.desired", this, ClusterMeterBinder::desired)
			.description("Workers the master keeps running")
			.register(registry);
		for (ReplacementReason reason : ReplacementReason.values()) {
			FunctionCounter.builder("cluster.worker.restarts", this, (binder) -> binder.replacements(reason))
				.tag("reason", reason.value())
				.description("Worker processes started again, by reason")
				.register(registry);
		}
		MultiGauge rss = MultiGauge.builder("cluster.worker.memory.rss").baseUnit("bytes")
			.description("Resident memory of each worker and standby process")
			.register(registry);
		MultiGauge heap = MultiGauge.builder("cluster.worker.memory.heap.used").baseUnit("bytes")
			.description("Heap in use in each worker and standby process")
			.register(registry);
		this.refreshing = this.scheduler.scheduleWithFixedDelay(() -> refresh(rss, heap), REFRESH);
	}

	private void refresh(MultiGauge rss, MultiGauge heap) {
		try {
			ClusterStatus cluster = this.control.status(REFRESH);
			this.snapshot.set(cluster);
			List<MultiGauge.Row<?>> rssRows = new ArrayList<>();
			List<MultiGauge.Row<?>> heapRows = new ArrayList<>();
			for (ClusterStatus.WorkerStatus worker : cluster.workers()) {
				// Not "worker": the cluster-wide scrape labels every series with the worker that reported it
				Tags tags = Tags.of("id", Integer.toString(worker.id()));
				if (worker.rssBytes() != null) {
					rssRows.add(MultiGauge.Row.of(tags, worker.rssBytes()));
				}
				if (worker.heapUsedBytes() != null) {
					heapRows.add(MultiGauge.Row.of(tags, worker.heapUsedBytes()));
				}
			}
			// What standbys cost, as "standby-1", "standby-2", ... oldest first
			for (int i = 0; i < cluster.standbys().size(); i++) {
				ClusterStatus.StandbyStatus standby = cluster.standbys().get(i);
				Tags tags = Tags.of("id", "standby-" + (i + 1));
				rssRows.add(MultiGauge.Row.of(tags, standby.rssBytes()));
				heapRows.add(MultiGauge.Row.of(tags, standby.heapUsedBytes()));
			}
			rss.register(rssRows, true);
			heap.register(heapRows, true);
		}
		catch (RuntimeException ex) {
			logger.debug("Cannot refresh the cluster metrics", ex);
		}
	}

	private double count(WorkerState state) {
		ClusterStatus cluster = this.snapshot.get();
		return (cluster != null) ? cluster.count(state) : Double.NaN;
	}

	private double desired() {
		ClusterStatus cluster = this.snapshot.get();
		return (cluster != null) ? cluster.master().desiredWorkers() : Double.NaN;
	}

	private double replacements(ReplacementReason reason) {
		ClusterStatus cluster = this.snapshot.get();
		return (cluster != null) ? cluster.master().replacements().getOrDefault(reason, 0L) : 0;
	}

	@Override
	public void destroy() {
		ScheduledFuture<?> refreshing = this.refreshing;
		if (refreshing != null) {
			refreshing.cancel(false);
		}
	}

}
