package io.github.clusterstarter.master;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Kills workers that stopped making progress: a process not ready within the ready
 * timeout, a ready process that sent no heartbeat for the watchdog timeout (a JVM frozen
 * in GC, stopped, or out of threads), which first gets to print a thread dump, and a
 * process told to stop that has not exited within the stop timeout (a shutdown hook or
 * {@code @PreDestroy} that never returns), so that its id is free again.
 * Standby processes are watched the same way. What follows their exit is up to
 * {@link RespawnPolicy}, {@link RollingRestarts} and {@link StandbyWorkers}.
 */
final class Watchdog {

	private static final Log logger = LogFactory.getLog(Watchdog.class);

	/**
	 * Time a hung worker gets to write its thread dump before it is killed.
	 */
	static final long THREAD_DUMP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

	private final WorkerPool pool;

	private final Duration readyTimeout;

	private final Duration heartbeatTimeout;

	private final Duration stopTimeout;

	/**
	 * Create a watchdog.
	 * @param pool the workers
	 * @param readyTimeout how long a process may take to become ready
	 * @param heartbeatTimeout how long a ready process may go without a heartbeat, zero
	 * for ever
	 * @param stopTimeout how long a process may take to exit once told to stop
	 */
	Watchdog(WorkerPool pool, Duration readyTimeout, Duration heartbeatTimeout, Duration stopTimeout) {
		this.pool = pool;
		this.readyTimeout = readyTimeout;
		this.heartbeatTimeout = heartbeatTimeout;
		this.stopTimeout = stopTimeout;
	}

	/**
	 * Kill the processes that ran out of time, and ask hung ones for a thread dump first.
	 * @param now the current time
	 */
	void advance(long now) {
		for (WorkerProcess process : this.pool.processes().toList()) {
			if (isOverdueToBeReady(process, now)) {
				process.killedForReadyTimeout = true;
				logger.error("%s is not ready after %d s (cluster.worker.ready-timeout): killing it"
					.formatted(process.describe(), this.readyTimeout.toSeconds()));
				process.jvm.kill();
			}
			if (isWatched(process)) {
				watchHeartbeats(process, now);
			}
			if (isOverdueToStop(process, now)) {
				killForStopTimeout(process);
			}
		}
	}

	private boolean isOverdueToBeReady(WorkerProcess process, long now) {
		return process.isStarting() && !process.killedForReadyTimeout
				&& now - process.startedNanos >= this.readyTimeout.toNanos();
	}

	/**
	 * Ready processes and waiting standbys send heartbeats; a hung one is still watched
	 * until it has been killed.
	 */
	private boolean isWatched(WorkerProcess process) {
		return !this.heartbeatTimeout.isZero() && (process.isReady() || process.isStandby()) && !process.killedAsHung;
	}

	private boolean isOverdueToStop(WorkerProcess process, long now) {
		return process.isStopping() && !process.killedForStopTimeout
				&& now - process.stopRequestedNanos >= this.stopTimeout.toNanos();
	}

	private void killForStopTimeout(WorkerProcess process) {
		process.killedForStopTimeout = true;
		logger.error(("%s did not exit within %d s of being told to stop (cluster.worker.stop-timeout): killing it; "
				+ "look for a shutdown hook or @PreDestroy method that does not return")
			.formatted(process.describe(), this.stopTimeout.toSeconds()));
		process.jvm.kill();
	}

	private void watchHeartbeats(WorkerProcess process, long now) {
		if (!process.hung && now - process.lastHeartbeatNanos >= this.heartbeatTimeout.toNanos()) {
			process.hung = true;
			process.hungAtNanos = now;
			logger.error(("%s sent no heartbeat for %d s (cluster.worker.timeout): requesting a thread dump "
					+ "(SIGQUIT, printed by the worker below), then killing and replacing it")
				.formatted(process.describe(), this.heartbeatTimeout.toSeconds()));
			process.jvm.requestThreadDump();
		}
		else if (process.hung && !process.killedAsHung && now - process.hungAtNanos >= THREAD_DUMP_GRACE_NANOS) {
			process.killedAsHung = true;
			process.jvm.kill();
		}
	}

	/**
	 * Return when the watchdog next has to act.
	 * @param next the time to return if it has nothing to do before
	 * @return the earlier of the two
	 */
	long nextDeadline(long next) {
		long earliest = next;
		for (WorkerProcess process : this.pool.processes().toList()) {
			if (process.isStarting() && !process.killedForReadyTimeout) {
				earliest = MasterClock.earlier(earliest, process.startedNanos + this.readyTimeout.toNanos());
			}
			if (isWatched(process)) {
				earliest = MasterClock.earlier(earliest, process.hung ? process.hungAtNanos + THREAD_DUMP_GRACE_NANOS
						: process.lastHeartbeatNanos + this.heartbeatTimeout.toNanos());
			}
			if (process.isStopping() && !process.killedForStopTimeout) {
				earliest = MasterClock.earlier(earliest, process.stopRequestedNanos + this.stopTimeout.toNanos());
			}
		}
		return earliest;
	}

}
