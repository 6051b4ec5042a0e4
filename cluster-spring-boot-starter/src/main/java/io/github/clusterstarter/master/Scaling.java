package io.github.clusterstarter.master;

import io.github.clusterstarter.status.ReplacementReason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Changes how many workers the cluster runs: scaling up adds ids after the highest one,
 * scaling down stops the highest ids gracefully and drops them once they have exited.
 * Never during a rolling restart, nor while the last scale-down is still stopping workers.
 */
final class Scaling {

	private static final Log logger = LogFactory.getLog(Scaling.class);

	private final WorkerPool pool;

	private final RollingRestarts rollouts;

	private final int maxWorkers;

	private final MasterClock clock;

	private final ProcessSampler.Source memory;

	Scaling(WorkerPool pool, RollingRestarts rollouts, int maxWorkers, MasterClock clock,
			ProcessSampler.Source memory) {
		this.pool = pool;
		this.rollouts = rollouts;
		this.maxWorkers = maxWorkers;
		this.clock = clock;
		this.memory = memory;
	}

	/**
	 * Scale the cluster.
	 * @param workers the number of workers to run
	 * @return the outcome
	 */
	CommandResult scaleTo(int workers) {
		if (workers < 1 || workers > this.maxWorkers) {
			return CommandResult
				.invalid("the number of workers must be from 1 to " + this.maxWorkers + ", not " + workers);
		}
		if (this.pool.isStopping()) {
			return CommandResult.conflict("the cluster is shutting down");
		}
		Rollout rollout = this.rollouts.rollout();
		if (rollout != null && rollout.isInProgress()) {
			return CommandResult.conflict("a rolling restart is in progress: " + rollout.describe());
		}
		if (this.pool.isRemoving()) {
			return CommandResult.conflict("workers are still being removed after the last scale-down");
		}
		String tooLarge = exceedsMemory(workers);
		if (tooLarge != null) {
			return CommandResult.invalid(tooLarge);
		}
		int previous = this.pool.desired();
		this.pool.desired(workers);
		for (int id = this.pool.size() + 1; id <= workers; id++) {
			this.pool.add(id);
		}
		for (WorkerSlot slot : this.pool.highestFirst()) {
			if (slot.id <= workers) {
				break;
			}
			slot.removing = true;
			slot.lastReplacement = ReplacementReason.SCALE;
			long now = this.clock.nanoTime();
			slot.processes().filter((process) -> !process.isStopping()).forEach((process) -> process.stop(now));
			if (!slot.hasProcesses()) {
				this.pool.remove(slot);
			}
		}
		logger.info("Scaling from %d to %d worker(s)".formatted(previous, workers));
		return CommandResult.accepted("scaling from " + previous + " to " + workers + " worker(s)");
	}

	/**
	 * A scale-up whose new workers, each as large as the largest ready one, would not fit
	 * in the memory left would only get them killed by the kernel's out-of-memory killer.
	 */
	private @Nullable String exceedsMemory(int workers) {
		int added = workers - this.pool.size();
		long largest = this.pool.processes().filter(WorkerProcess::isReady).mapToLong((p) -> p.rssBytes).max().orElse(0);
		if (added <= 0 || largest == 0) {
			return null;
		}
		long available = this.memory.availableBytes();
		long needed = added * largest;
		if (needed <= available) {
			return null;
		}
		return ("scaling from %d to %d worker(s) needs about %d x %d MB = %d MB more memory (the largest worker's "
				+ "resident memory), but only %d MB is available to the cluster")
			.formatted(this.pool.size(), workers, added, megabytes(largest), megabytes(needed), megabytes(available));
	}

	private static long megabytes(long bytes) {
		return bytes / (1024 * 1024);
	}

	/**
	 * Drop a slot being removed once its last process has exited.
	 * @param slot the slot of a process that exited
	 */
	void workerExited(WorkerSlot slot) {
		if (slot.removing && !slot.hasProcesses()) {
			this.pool.remove(slot);
			logger.info("Worker %d removed; %d worker(s) now".formatted(slot.id, this.pool.size()));
		}
	}

}
