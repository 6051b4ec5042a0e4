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

	long lastHeartbeatNanos = this.startedNanos;

	@Nullable Instant lastHeartbeatAt;

	long heapUsed;

	long heapMax;

	long requests;

	long inFlight;

	/**
	 * Requests after which this process is recycled, 0 for never.
	 */
	final long requestLimit;

	long rssBytes;

	double cpuPercent;

	long cpuTicks;

	long cpuSampledNanos;

	/**
	 * When the watchdog gave up on this process; it is killed shortly after, once its
	 * thread dump had a chance to be written.
	 */
	long hungAtNanos;

	boolean hung;

	WorkerProcess(Process process, long requestLimit) {
		this.process = process;
		this.pid = process.pid();
		this.requestLimit = requestLimit;
	}

	void heartbeat(long heapUsed, long heapMax, long requests, long inFlight) {
		this.lastHeartbeatNanos = System.nanoTime();
		this.lastHeartbeatAt = Instant.now();
		this.heapUsed = heapUsed;
		this.heapMax = heapMax;
		this.requests = requests;
		this.inFlight = inFlight;
	}

	/**
	 * Take a sample of this process's memory and CPU time from {@code /proc}.
	 */
	void sample() {
		long now = System.nanoTime();
		this.rssBytes = ProcessMetrics.rssBytes(this.pid);
		long ticks = ProcessMetrics.cpuTicks(this.pid);
		if (this.cpuSampledNanos != 0 && ticks >= this.cpuTicks) {
			double cpuNanos = (ticks - this.cpuTicks) * ProcessMetrics.NANOS_PER_TICK;
			this.cpuPercent = 100.0 * cpuNanos / (now - this.cpuSampledNanos);
		}
		this.cpuTicks = ticks;
		this.cpuSampledNanos = now;
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
