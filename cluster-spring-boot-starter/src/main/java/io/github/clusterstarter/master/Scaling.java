package io.github.clusterstarter.master;

import io.github.clusterstarter.status.ReplacementReason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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

	Scaling(WorkerPool pool, RollingRestarts rollouts, int maxWorkers) {
		this.pool = pool;
		this.rollouts = rollouts;
		this.maxWorkers = maxWorkers;
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
			slot.processes().filter((process) -> !process.isStopping()).forEach(WorkerProcess::stop);
			if (!slot.hasProcesses()) {
				this.pool.remove(slot);
			}
		}
		logger.info("Scaling from %d to %d worker(s)".formatted(previous, workers));
		return CommandResult.accepted("scaling from " + previous + " to " + workers + " worker(s)");
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
