package io.github.clusterstarter.master;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import io.github.clusterstarter.status.ClusterStatus;
import io.github.clusterstarter.status.ReplacementReason;
import io.github.clusterstarter.status.WorkerState;
import org.jspecify.annotations.Nullable;

/**
 * One worker id and the processes that fill it. The id is stable: a replacement takes
 * over the id of the process it replaces. During a rolling restart a slot briefly has a
 * replacement booting beside its current process, and retired processes draining. Only
 * the master's event loop touches a slot.
 */
final class WorkerSlot {

	final int id;

	/**
	 * The process serving this id, if any.
	 */
	@Nullable WorkerProcess current;

	/**
	 * A process booting to take over from the current one.
	 */
	@Nullable WorkerProcess replacement;

	/**
	 * Processes that were replaced and are stopping.
	 */
	final List<WorkerProcess> retired = new ArrayList<>();

	/**
	 * The state while the slot has no current process: PENDING, RESTARTING or STOPPED.
	 */
	WorkerState idleState = WorkerState.PENDING;

	/**
	 * Whether the slot goes away once its processes have stopped (scaling down).
	 */
	boolean removing;

	int restarts;

	boolean everStarted;

	ClusterStatus.@Nullable ExitRecord lastExit;

	@Nullable ReplacementReason lastReplacement;

	/**
	 * Delay before the next respawn: none for the first, then growing.
	 */
	Duration nextBackoff = Duration.ZERO;

	long respawnAtNanos;

	WorkerSlot(int id) {
		this.id = id;
	}

	WorkerState state() {
		return (this.current != null) ? this.current.state : this.idleState;
	}

	/**
	 * Return every live process of this slot: current, replacement and retired.
	 * @return the processes
	 */
	Stream<WorkerProcess> processes() {
		return Stream.concat(Stream.of(this.current, this.replacement).filter(Objects::nonNull), this.retired.stream());
	}

	@Nullable WorkerProcess process(long pid) {
		return processes().filter((process) -> process.pid == pid).findFirst().orElse(null);
	}

	boolean hasProcesses() {
		return processes().findAny().isPresent();
	}

	/**
	 * Return whether the current process serves: it is ready.
	 * @return whether it serves
	 */
	boolean isServing() {
		return this.current != null && this.current.isReady();
	}

	@Override
	public String toString() {
		return "worker " + this.id;
	}

}
