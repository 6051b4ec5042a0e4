package io.github.clusterstarter.master;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

import io.github.clusterstarter.status.ReplacementReason;
import io.github.clusterstarter.status.RolloutState;
import org.jspecify.annotations.Nullable;

/**
 * A rolling restart: the workers it covers are replaced a batch at a time, each
 * replacement ready before its predecessor is told to stop.
 */
final class Rollout {

	final String trigger;

	final Instant startedAt;

	final int total;

	final int batchSize;

	final Deque<Integer> pending;

	final Set<Integer> inFlight = new LinkedHashSet<>();

	/**
	 * Why the workers are replaced, as the status reports it: rollout or recycle.
	 */
	final ReplacementReason replacementReason;

	int completed;

	RolloutState state = RolloutState.IN_PROGRESS;

	@Nullable Instant finishedAt;

	@Nullable String reason;

	Rollout(String trigger, Collection<Integer> ids, int batchSize, ReplacementReason replacementReason,
			Instant startedAt) {
		this.trigger = trigger;
		this.pending = new ArrayDeque<>(ids);
		this.total = ids.size();
		this.batchSize = batchSize;
		this.replacementReason = replacementReason;
		this.startedAt = startedAt;
	}

	boolean isInProgress() {
		return this.state == RolloutState.IN_PROGRESS;
	}

	void completed(int id, Instant now) {
		this.inFlight.remove(id);
		this.completed++;
		if (isInProgress() && this.pending.isEmpty() && this.inFlight.isEmpty()) {
			this.state = RolloutState.SUCCEEDED;
			this.finishedAt = now;
		}
	}

	void fail(String reason, Instant now) {
		this.pending.clear();
		this.state = RolloutState.FAILED;
		this.reason = reason;
		this.finishedAt = now;
	}

	String describe() {
		return "%s (%d of %d replaced)".formatted(this.trigger, this.completed, this.total);
	}

}
