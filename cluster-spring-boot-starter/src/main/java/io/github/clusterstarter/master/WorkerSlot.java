package io.github.clusterstarter.master;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

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

	@Nullable ExitRecord lastExit;

	@Nullable String lastReplacementReason;

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
	 * Return every live process of this slot.
	 * @return the processes
	 */
	Stream<WorkerProcess> processes() {
		return Stream.concat(Stream.of(this.current, this.replacement).filter((process) -> process != null),
				this.retired.stream());
	}

	@Nullable WorkerProcess process(long pid) {
		return processes().filter((process) -> process.pid == pid).findFirst().orElse(null);
	}

	String describe(WorkerProcess process) {
		return "Worker %d (pid %d)".formatted(this.id, process.pid);
	}

	/**
	 * How a worker process ended.
	 *
	 * @param pid the pid of the process
	 * @param status the exit status
	 * @param at when the master saw it exit
	 */
	record ExitRecord(long pid, int status, Instant at) {

	}

}
