package io.github.clusterstarter.master;

import java.time.Duration;

import io.github.clusterstarter.status.ReplacementReason;
import io.github.clusterstarter.status.WorkerState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps the standby processes booted: once every worker has been ready, it starts
 * standbys until the configured number boot or wait, one after another within the start
 * concurrency, and replaces those that take over an id, exit or are retired. Standbys run
 * the application as it was when they booted, so a rolling restart retires them and they
 * boot again once it is over. Standbys that keep failing to boot are given up on, and the
 * workers carry on without them.
 */
final class StandbyWorkers {

	private static final Log logger = LogFactory.getLog(StandbyWorkers.class);

	private final WorkerPool pool;

	private final WorkerStarter starter;

	private final RollingRestarts rollouts;

	private final MasterClock clock;

	private final int desired;

	private final int startConcurrency;

	private final int maxBootFailures;

	private int consecutiveBootFailures;

	StandbyWorkers(WorkerPool pool, WorkerStarter starter, RollingRestarts rollouts, MasterClock clock,
			ClusterSettings settings) {
		this.pool = pool;
		this.starter = starter;
		this.rollouts = rollouts;
		this.clock = clock;
		this.desired = settings.standbyWorkers();
		this.startConcurrency = settings.startConcurrency();
		this.maxBootFailures = settings.maxBootFailures();
	}

	/**
	 * Retire the standbys while a rolling restart runs; otherwise start standbys while
	 * fewer than the desired number boot or wait, the workers all started once and no
	 * worker boots.
	 */
	void advance() {
		Rollout rollout = this.rollouts.rollout();
		if (rollout != null && rollout.isInProgress() && rollout.replacementReason == ReplacementReason.ROLLOUT) {
			retire("a rolling restart replaces the processes that run the application as it was");
			return;
		}
		while (isDue()) {
			WorkerProcess standby = this.starter.launchStandby();
			if (standby == null) {
				bootFailed("could not be started");
				return;
			}
			this.pool.standbys.add(standby);
		}
	}

	private boolean isDue() {
		return this.desired > 0 && this.pool.isStarted() && !this.pool.isStopping() && !this.rollouts.isInProgress()
				&& this.consecutiveBootFailures < this.maxBootFailures
				&& this.pool.standbys.stream().filter((process) -> !process.isStopping()).count() < this.desired
				&& this.pool.slots().stream().allMatch((slot) -> slot.current != null && slot.replacement == null)
				&& this.pool.starting() < this.startConcurrency;
	}

	/**
	 * A standby became ready: it waits outside the accept pool.
	 * @param process the standby
	 */
	void ready(WorkerProcess process) {
		process.state = WorkerState.STANDBY;
		process.readyNanos = this.clock.nanoTime();
		this.consecutiveBootFailures = 0;
		logger.info("%s is ready and waits to take over (booted in %d ms)".formatted(process.describe(),
				Duration.ofNanos(process.readyNanos - process.startedNanos).toMillis()));
	}

	/**
	 * A standby process exited.
	 * @param process the standby
	 */
	void exited(WorkerProcess process) {
		this.pool.standbys.remove(process);
		int status = process.jvm.exitStatus();
		if (process.isStopping()) {
			logger.info("%s stopped (exit status %d)".formatted(process.describe(), status));
		}
		else if (process.isStarting()) {
			bootFailed("exited with status %d before it became ready%s".formatted(status,
					(process.bootFailure != null) ? " (" + process.bootFailure + ")" : ""));
		}
		else {
			logger.warn("%s %s; another one boots".formatted(process.describe(),
					process.hung ? "was killed after it stopped sending heartbeats"
							: "exited unexpectedly with status " + status));
		}
	}

	private void bootFailed(String why) {
		this.consecutiveBootFailures++;
		if (this.consecutiveBootFailures < this.maxBootFailures) {
			logger.error("A standby %s; boot failure %d of %d allowed in a row".formatted(why,
					this.consecutiveBootFailures, this.maxBootFailures));
		}
		else {
			logger.error(("Gave up on standbys: %d in a row failed to boot, the last one %s. The workers keep serving "
					+ "without a standby; their own output above says why they failed.")
				.formatted(this.consecutiveBootFailures, why));
		}
	}

	private void retire(String why) {
		// The new processes may boot where the old ones failed
		this.consecutiveBootFailures = 0;
		long now = this.clock.nanoTime();
		this.pool.standbys.stream().filter((process) -> !process.isStopping()).forEach((process) -> {
			logger.info("Stopping %s: %s".formatted(process.describe(), why));
			process.stop(now);
		});
	}

}
