package io.github.clusterstarter.master;

import java.util.List;

import io.github.clusterstarter.status.ReplacementReason;
import io.github.clusterstarter.status.RolloutState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Replaces workers without serving with one fewer: for each id a replacement boots beside
 * the current process, takes over the id once it is ready, and only then is its
 * predecessor told to stop. One rolling restart at a time, a batch of ids at a time; the
 * first replacement that fails to boot ends it as failed, and the old workers keep serving.
 */
final class RollingRestarts {

	private static final Log logger = LogFactory.getLog(RollingRestarts.class);

	private final WorkerPool pool;

	private final WorkerStarter starter;

	private final MasterFootprint footprint;

	private final MasterClock clock;

	private final int batchSize;

	private @Nullable Rollout rollout;

	RollingRestarts(WorkerPool pool, WorkerStarter starter, MasterFootprint footprint, MasterClock clock,
			int batchSize) {
		this.pool = pool;
		this.starter = starter;
		this.footprint = footprint;
		this.clock = clock;
		this.batchSize = batchSize;
	}

	/**
	 * Return the current or last rolling restart.
	 * @return the rollout, or {@code null} before the first
	 */
	@Nullable Rollout rollout() {
		return this.rollout;
	}

	boolean isInProgress() {
		return this.rollout != null && this.rollout.isInProgress();
	}

	/**
	 * Start a rolling restart of every worker.
	 * @param trigger what asked for it, for the log and the status
	 * @return the outcome
	 */
	CommandResult restartAll(String trigger) {
		return start(trigger, List.copyOf(this.pool.ids()));
	}

	/**
	 * Replace one worker the way a rolling restart does.
	 * @param id the worker id
	 * @return the outcome
	 */
	CommandResult restart(int id) {
		if (this.pool.slot(id) == null) {
			return CommandResult.notFound("no worker with id " + id + "; the cluster has workers " + this.pool.ids());
		}
		return start("restart of worker " + id + " requested", List.of(id));
	}

	private CommandResult start(String trigger, List<Integer> ids) {
		if (this.pool.isStopping()) {
			return CommandResult.conflict("the cluster is shutting down");
		}
		Rollout rollout = this.rollout;
		if (rollout != null && rollout.isInProgress()) {
			return CommandResult.conflict("a rolling restart is already in progress: " + rollout.describe()
					+ ", started at " + rollout.startedAt);
		}
		if (this.pool.isRemoving()) {
			return CommandResult.conflict("workers are still being removed after scaling down");
		}
		this.rollout = new Rollout(trigger, ids, this.batchSize, ReplacementReason.ROLLOUT, this.clock.instant());
		logger.info("Rolling restart of worker(s) %s started (%s), %d at a time".formatted(ids, trigger,
				this.batchSize));
		return CommandResult.accepted("rolling restart of worker(s) " + ids + " started");
	}

	/**
	 * Replace one worker that is due for recycling, like a rolling restart of it alone.
	 * @param slot the worker
	 * @param why what it exceeded
	 */
	void recycle(WorkerSlot slot, String why) {
		this.rollout = new Rollout("recycle worker " + slot.id + ": " + why, List.of(slot.id), 1,
				ReplacementReason.RECYCLE, this.clock.instant());
	}

	/**
	 * Start replacements until a batch boots, as long as ids are left.
	 */
	void advance() {
		Rollout rollout = this.rollout;
		while (rollout != null && rollout.isInProgress() && rollout.inFlight.size() < rollout.batchSize
				&& !rollout.pending.isEmpty()) {
			int id = rollout.pending.poll();
			rollout.inFlight.add(id);
			WorkerSlot slot = this.pool.slot(id);
			if (slot == null || !slot.isServing()) {
				// Not serving now; when it starts again it runs the new code anyway
				completed(rollout, id);
				continue;
			}
			slot.lastReplacement = rollout.replacementReason;
			// A standby runs the application as it was: it may replace a worker recycled, not one rolled
			WorkerProcess replacement = (rollout.replacementReason == ReplacementReason.RECYCLE)
					? this.starter.start(slot) : this.starter.launch(slot);
			slot.replacement = replacement;
			if (replacement == null) {
				failed(slot, "the replacement for worker %d could not be started".formatted(id));
			}
			else if (replacement.isReady()) {
				promote(slot, replacement);
			}
		}
	}

	/**
	 * The replacement is ready: it takes over the id, and only now is its predecessor told
	 * to stop, so the cluster never serves with one worker fewer.
	 * @param slot the worker id
	 * @param replacement its replacement, ready
	 */
	void promote(WorkerSlot slot, WorkerProcess replacement) {
		WorkerProcess previous = slot.current;
		slot.current = replacement;
		slot.replacement = null;
		if (previous != null) {
			previous.stop(this.clock.nanoTime());
			slot.retired.add(previous);
			logger.info("Worker %d: pid %d took over from pid %d, which is stopping".formatted(slot.id,
					replacement.pid, previous.pid));
		}
		if (this.rollout != null) {
			completed(this.rollout, slot.id);
		}
	}

	private void completed(Rollout rollout, int id) {
		rollout.completed(id, this.clock.instant());
		if (rollout.state == RolloutState.SUCCEEDED) {
			logger.info("Rolling restart complete: " + rollout.describe());
			this.footprint.shrink(this.clock.nanoTime());
		}
	}

	/**
	 * A replacement exited, or could not be started, before it was ready: the rolling
	 * restart stops there.
	 * @param slot the worker id it was to take over
	 * @param reason why it failed
	 */
	void failed(WorkerSlot slot, String reason) {
		logger.error("Rolling restart failed: %s. The old workers keep serving.".formatted(reason));
		Rollout rollout = this.rollout;
		if (rollout != null) {
			if (rollout.isInProgress()) {
				rollout.fail(reason, this.clock.instant());
			}
			rollout.inFlight.remove(slot.id);
		}
	}

	/**
	 * Stop the rolling restart in progress, if any, without replacing any more workers.
	 * @param reason why
	 */
	void abort(String reason) {
		if (this.rollout != null && this.rollout.isInProgress()) {
			this.rollout.fail(reason, this.clock.instant());
		}
	}

}
