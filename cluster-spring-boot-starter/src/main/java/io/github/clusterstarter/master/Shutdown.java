package io.github.clusterstarter.master;

import java.time.Duration;
import java.util.List;

import io.github.clusterstarter.status.WorkerState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Stops the cluster: every worker gracefully, then those still running after the shutdown
 * timeout, or after a second signal, forcibly. The master is finished once no worker
 * process is left.
 */
final class Shutdown {

	private static final Log logger = LogFactory.getLog(Shutdown.class);

	private final WorkerPool pool;

	private final RollingRestarts rollouts;

	private final MasterClock clock;

	private final Duration timeout;

	private long deadlineNanos;

	private boolean killedAfterTimeout;

	private int exitStatus;

	Shutdown(WorkerPool pool, RollingRestarts rollouts, MasterClock clock, Duration timeout) {
		this.pool = pool;
		this.rollouts = rollouts;
		this.clock = clock;
		this.timeout = timeout;
	}

	/**
	 * A TERM or INT signal arrived: the first one stops the workers gracefully, the next
	 * kills them.
	 * @param signal the signal's name, such as {@code SIGTERM}
	 */
	void signalled(String signal) {
		if (!this.pool.isStopping()) {
			begin(signal, 0);
		}
		else {
			logger.warn("Received %s again while shutting down: killing the workers now".formatted(signal));
			killAll();
		}
	}

	/**
	 * Stop every worker gracefully.
	 * @param reason why, for the log
	 * @param exitStatus the exit status of the master once the workers are gone
	 */
	void begin(String reason, int exitStatus) {
		if (this.pool.isStopping()) {
			return;
		}
		this.pool.stopping();
		this.exitStatus = exitStatus;
		this.deadlineNanos = this.clock.nanoTime() + this.timeout.toNanos();
		this.rollouts.abort("the cluster is shutting down");
		logger.info("Shutting down (%s): stopping %d worker(s) gracefully, at most %d s".formatted(reason,
				this.pool.processes().count(), this.timeout.toSeconds()));
		long now = this.clock.nanoTime();
		for (WorkerSlot slot : this.pool.slots()) {
			slot.processes().filter((process) -> !process.isStopping()).forEach((process) -> process.stop(now));
			if (slot.current == null) {
				slot.idleState = WorkerState.STOPPED;
			}
		}
	}

	/**
	 * Kill the workers still running after the shutdown timeout.
	 * @param now the current time
	 */
	void advance(long now) {
		if (this.pool.isStopping() && !this.killedAfterTimeout && now - this.deadlineNanos >= 0) {
			this.killedAfterTimeout = true;
			logger.warn("Workers still running after cluster.shutdown-timeout (%d s): killing them"
				.formatted(this.timeout.toSeconds()));
			killAll();
		}
	}

	/**
	 * Return when the shutdown timeout ends.
	 * @param next the time to return if it does not end before
	 * @return the earlier of the two
	 */
	long nextDeadline(long next) {
		return (this.pool.isStopping() && !this.killedAfterTimeout) ? MasterClock.earlier(next, this.deadlineNanos)
				: next;
	}

	/**
	 * Kill every worker still running. Runs on the event loop, and as a shutdown hook in
	 * case the master's JVM exits some other way.
	 */
	void killAll() {
		for (WorkerSlot slot : List.copyOf(this.pool.slots())) {
			slot.processes().toList().forEach((process) -> process.jvm.kill());
		}
	}

	boolean isFinished() {
		return this.pool.isStopping() && this.pool.processes().findAny().isEmpty();
	}

	int exitStatus() {
		return this.exitStatus;
	}

}
