package io.github.clusterstarter.master;

import java.util.random.RandomGenerator;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Replaces, gracefully and one at a time, a worker that served its maximum requests (plus
 * a random jitter of its own, so that workers do not all recycle at once) or grew past the
 * maximum memory, like a rolling restart of that worker alone. Waits while any rolling
 * restart is in progress.
 */
final class Recycling {

	private static final Log logger = LogFactory.getLog(Recycling.class);

	private final WorkerPool pool;

	private final RollingRestarts rollouts;

	private final long maxRequests;

	private final long maxRequestsJitter;

	private final long maxMemoryBytes;

	private final RandomGenerator random;

	Recycling(WorkerPool pool, RollingRestarts rollouts, ClusterSettings settings, RandomGenerator random) {
		this.pool = pool;
		this.rollouts = rollouts;
		this.maxRequests = settings.maxRequests();
		this.maxRequestsJitter = settings.maxRequestsJitter();
		this.maxMemoryBytes = settings.maxMemoryBytes();
		this.random = random;
	}

	/**
	 * Recycle the first ready worker, by id, that is due.
	 */
	void recycleOneIfDue() {
		if (this.rollouts.isInProgress()) {
			return;
		}
		for (WorkerSlot slot : this.pool.slots()) {
			WorkerProcess process = slot.current;
			if (slot.removing || process == null || !process.isReady()) {
				continue;
			}
			String why = whyRecycle(process);
			if (why != null) {
				this.rollouts.recycle(slot, why);
				logger.info("Recycling %s: it %s".formatted(process.describe(), why));
				return;
			}
		}
	}

	private @Nullable String whyRecycle(WorkerProcess process) {
		long limit = requestLimit(process);
		if (limit > 0 && process.requests >= limit) {
			return "served %d requests (cluster.worker.max-requests)".formatted(process.requests);
		}
		if (this.maxMemoryBytes > 0 && process.rssBytes >= this.maxMemoryBytes) {
			return "uses %d MB of memory (cluster.worker.max-memory: %d MB)".formatted(process.rssBytes / (1024 * 1024),
					this.maxMemoryBytes / (1024 * 1024));
		}
		return null;
	}

	/**
	 * Return the requests after which a process is recycled, drawn once per process.
	 * @param process the process
	 * @return its limit, 0 for never
	 */
	long requestLimit(WorkerProcess process) {
		if (process.requestLimit == WorkerProcess.NO_LIMIT_YET) {
			long jitter = (this.maxRequests > 0 && this.maxRequestsJitter > 0)
					? this.random.nextLong(this.maxRequestsJitter + 1) : 0;
			process.requestLimit = (this.maxRequests > 0) ? this.maxRequests + jitter : 0;
		}
		return process.requestLimit;
	}

}
