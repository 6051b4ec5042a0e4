package io.github.clusterstarter.master;

import java.time.Duration;
import java.time.Instant;

import io.github.clusterstarter.control.ControlConnection;
import org.jspecify.annotations.Nullable;

/**
 * One worker id and the process currently filling it. The id is stable: a replacement
 * takes over the id of the process it replaces. Only the master's event loop touches a
 * slot.
 */
final class WorkerSlot {

	final int id;

	WorkerState state = WorkerState.PENDING;

	@Nullable Process process;

	long pid;

	@Nullable Instant startedAt;

	long startedNanos;

	long readyNanos;

	boolean everReady;

	/**
	 * Number of times a process was started again for this id.
	 */
	int restarts;

	boolean everStarted;

	@Nullable ExitRecord lastExit;

	@Nullable ControlConnection connection;

	/**
	 * Why the current process failed to boot, as the worker reported it.
	 */
	@Nullable String bootFailure;

	boolean killedForReadyTimeout;

	Duration nextBackoff;

	long respawnAtNanos;

	WorkerSlot(int id, Duration initialBackoff) {
		this.id = id;
		this.nextBackoff = initialBackoff;
	}

	boolean hasProcess() {
		return this.process != null;
	}

	String describe() {
		return "Worker %d (pid %d)".formatted(this.id, this.pid);
	}

	/**
	 * How a worker process ended.
	 *
	 * @param status the exit status
	 * @param at when the master saw it exit
	 */
	record ExitRecord(int status, Instant at) {

	}

}
