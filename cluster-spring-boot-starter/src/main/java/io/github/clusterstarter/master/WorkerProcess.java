package io.github.clusterstarter.master;

import java.time.Instant;
import java.util.Map;

import io.github.clusterstarter.control.ControlConnection;
import org.jspecify.annotations.Nullable;

/**
 * One worker JVM, from its start to its exit. Only the master's event loop touches it.
 */
final class WorkerProcess {

	final Process process;

	final long pid;

	final Instant startedAt = Instant.now();

	final long startedNanos = System.nanoTime();

	WorkerState state = WorkerState.STARTING;

	long readyNanos;

	@Nullable ControlConnection connection;

	/**
	 * Why this process failed to boot, as it reported it.
	 */
	@Nullable String bootFailure;

	boolean killedForReadyTimeout;

	/**
	 * What this process runs, as it reported it when ready.
	 */
	@Nullable Map<String, Object> build;

	WorkerProcess(Process process) {
		this.process = process;
		this.pid = process.pid();
	}

	boolean isStarting() {
		return this.state == WorkerState.STARTING;
	}

	/**
	 * Ask the worker to stop gracefully: it drains its connections, finishes its requests
	 * and exits.
	 */
	void stop() {
		this.state = WorkerState.STOPPING;
		this.process.destroy();
	}

}
