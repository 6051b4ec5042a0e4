package io.github.clusterstarter.master;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A rolling restart: the workers it covers are replaced a batch at a time, each
 * replacement ready before its predecessor is told to stop.
 */
final class Rollout {

	enum State {

		IN_PROGRESS, SUCCEEDED, FAILED

	}

	final String trigger;

	final Instant startedAt = Instant.now();

	final int total;

	final int batchSize;

	final Deque<Integer> pending;

	final Set<Integer> inFlight = new LinkedHashSet<>();

	int completed;

	State state = State.IN_PROGRESS;

	@Nullable Instant finishedAt;

	@Nullable String reason;

	/**
	 * Why the workers are replaced, as the status reports it: rollout or recycle.
	 */
	final String replacementReason;

	Rollout(String trigger, Collection<Integer> ids, int batchSize, String replacementReason) {
		this.trigger = trigger;
		this.replacementReason = replacementReason;
		this.pending = new ArrayDeque<>(ids);
		this.total = ids.size();
		this.batchSize = batchSize;
	}

	boolean isInProgress() {
		return this.state == State.IN_PROGRESS;
	}

	void completed(int id) {
		this.inFlight.remove(id);
		this.completed++;
		if (this.state == State.IN_PROGRESS && this.pending.isEmpty() && this.inFlight.isEmpty()) {
			this.state = State.SUCCEEDED;
			this.finishedAt = Instant.now();
		}
	}

	void fail(String reason) {
		this.pending.clear();
		this.state = State.FAILED;
		this.reason = reason;
		this.finishedAt = Instant.now();
	}

	String describe() {
		return "%s (%d of %d replaced)".formatted(this.trigger, this.completed, this.total);
	}

}
