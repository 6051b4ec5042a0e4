package io.github.clusterstarter.master;

import java.time.Duration;
import java.util.List;

import io.github.clusterstarter.status.ClusterStatus;
import io.github.clusterstarter.status.ReplacementReason;
import io.github.clusterstarter.status.WorkerState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Decides what follows the exit of a worker process: nothing for a process that was told
 * to stop, a respawn for one that crashed or failed to boot, at once the first time and
 * then after a delay that doubles with every further exit, and what happens when too many
 * workers in a row failed to boot (a crash loop): the end of the cluster while it starts
 * or when no worker serves, or else giving up on the ids that do not boot while the
 * others keep serving. It also starts the ids whose turn has come, a few at a time
 * because booting JVMs compete for the CPUs.
 */
final class RespawnPolicy {

	private static final Log logger = LogFactory.getLog(RespawnPolicy.class);

	private final WorkerPool pool;

	private final WorkerStarter starter;

	private final RollingRestarts rollouts;

	private final Shutdown shutdown;

	private final MasterClock clock;

	private final ClusterSettings settings;

	private int consecutiveBootFailures;

	RespawnPolicy(WorkerPool pool, WorkerStarter starter, RollingRestarts rollouts, Shutdown shutdown,
			MasterClock clock, ClusterSettings settings) {
		this.pool = pool;
		this.starter = starter;
		this.rollouts = rollouts;
		this.shutdown = shutdown;
		this.clock = clock;
		this.settings = settings;
	}

	/**
	 * Handle the exit of a worker process.
	 * @param slot the id it belonged to
	 * @param process the process
	 */
	void workerExited(WorkerSlot slot, WorkerProcess process) {
		int status = process.jvm.exitStatus();
		slot.lastExit = new ClusterStatus.ExitRecord(process.pid, status, this.clock.instant());
		if (slot.retired.remove(process)) {
			logger.info("%s stopped (exit status %d)".formatted(process.describe(), status));
		}
		else if (process == slot.replacement) {
			slot.replacement = null;
			this.rollouts.failed(slot, "the replacement for worker %d, pid %d, %s".formatted(slot.id, process.pid,
					describeBootFailure(process, status)));
			if (slot.current == null && !this.pool.isStopping() && !slot.removing) {
				scheduleRespawn(slot);
			}
		}
		else if (process == slot.current) {
			slot.current = null;
			currentExited(slot, process, status);
		}
	}

	private void currentExited(WorkerSlot slot, WorkerProcess process, int status) {
		if (this.pool.isStopping() || slot.removing || process.isStopping()) {
			slot.idleState = WorkerState.STOPPED;
			logger.info("%s stopped (exit status %d)".formatted(process.describe(), status));
		}
		else if (process.isStarting()) {
			bootFailed(slot, process, status);
		}
		else {
			crashed(slot, process, status);
		}
	}

	private void bootFailed(WorkerSlot slot, WorkerProcess process, int status) {
		this.consecutiveBootFailures++;
		String why = describeBootFailure(process, status);
		slot.lastReplacement = process.killedForReadyTimeout ? ReplacementReason.READY_TIMEOUT
				: ReplacementReason.BOOT_FAILURE;
		if (this.consecutiveBootFailures >= this.settings.maxBootFailures()) {
			String failures = "%d worker(s) in a row failed to boot. The last one, %s, %s."
				.formatted(this.consecutiveBootFailures, process.describe(), why);
			if (canKeepServing()) {
				abandonUnready(failures);
				return;
			}
			logger.error(("Giving up: %s The workers' own output above says why: look for 'APPLICATION FAILED TO "
					+ "START' or the first stack trace. Adjust cluster.worker.max-boot-failures or "
					+ "cluster.worker.ready-timeout if booting is just slow.")
				.formatted(failures));
			slot.idleState = WorkerState.STOPPED;
			this.shutdown.begin("crash loop", 1);
			return;
		}
		logger.error("%s %s; boot failure %d of %d allowed in a row".formatted(process.describe(), why,
				this.consecutiveBootFailures, this.settings.maxBootFailures()));
		scheduleRespawn(slot);
	}

	private boolean canKeepServing() {
		return this.pool.isStarted() && this.pool.hasReady();
	}

	/**
	 * Drop the ids that have no ready process, as a scale-down would, so that the ready
	 * workers keep serving and the master stops burning CPU on boots that fail.
	 */
	private void abandonUnready(String failures) {
		List<WorkerSlot> unready = this.pool.slots()
			.stream()
			.filter((slot) -> !slot.removing && (slot.current == null || !slot.current.isReady()))
			.toList();
		long now = this.clock.nanoTime();
		for (WorkerSlot slot : unready) {
			slot.removing = true;
			slot.processes().filter((process) -> !process.isStopping()).forEach((process) -> process.stop(now));
			if (!slot.hasProcesses()) {
				this.pool.remove(slot);
			}
		}
		this.pool.desired(this.pool.desired() - unready.size());
		List<Integer> ids = unready.stream().map((slot) -> slot.id).toList();
		String reason = "gave up on worker(s) %s at %s: %s".formatted(ids, this.clock.instant(), failures);
		this.pool.abandoned(reason);
		this.consecutiveBootFailures = 0;
		logger.error(("Gave up on worker(s) %s: %s The cluster keeps serving with %d worker(s); their own output "
				+ "above says why they failed (look for 'APPLICATION FAILED TO START'). Scale up again once "
				+ "that is fixed.").formatted(ids, failures, this.pool.desired()));
	}

	private String describeBootFailure(WorkerProcess process, int status) {
		String why = process.killedForReadyTimeout
				? "was not ready within " + this.settings.readyTimeout().toSeconds() + " s"
				: "exited with status " + status + " before it became ready";
		return (process.bootFailure != null) ? why + " (" + process.bootFailure + ")" : why;
	}

	private void crashed(WorkerSlot slot, WorkerProcess process, int status) {
		long now = this.clock.nanoTime();
		if (now - process.readyNanos >= this.settings.backoffResetAfter().toNanos()) {
			slot.nextBackoff = Duration.ZERO;
		}
		if (process.hung) {
			slot.lastReplacement = ReplacementReason.TIMEOUT;
			logger.warn("%s was killed after it stopped sending heartbeats".formatted(process.describe()));
		}
		else {
			slot.lastReplacement = ReplacementReason.CRASH;
			logger.warn("%s exited unexpectedly with status %d after %d s%s".formatted(process.describe(), status,
					Duration.ofNanos(now - process.startedNanos).toSeconds(), exitHint(status)));
		}
		if (slot.replacement != null) {
			// A rollout was replacing it anyway; the replacement takes over when ready
			slot.idleState = WorkerState.RESTARTING;
			return;
		}
		scheduleRespawn(slot);
	}

	private static String exitHint(int status) {
		return switch (status) {
			case 137 -> " (killed by SIGKILL: kill -9 or the kernel's out-of-memory killer)";
			case 143 -> " (SIGTERM)";
			case 134 -> " (SIGABRT: the JVM crashed; look for an hs_err_pid file)";
			default -> "";
		};
	}

	private void scheduleRespawn(WorkerSlot slot) {
		// The first respawn is immediate; only a worker that keeps exiting is held back
		Duration delay = slot.nextBackoff;
		slot.idleState = WorkerState.RESTARTING;
		slot.respawnAtNanos = this.clock.nanoTime() + delay.toNanos();
		slot.nextBackoff = delay.isZero() ? this.settings.initialBackoff()
				: min(delay.multipliedBy(2), this.settings.maxBackoff());
		logger.info("Restarting worker %d in %d ms".formatted(slot.id, delay.toMillis()));
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	/**
	 * A worker became ready: the workers that failed to boot before it no longer count.
	 */
	void bootSucceeded() {
		this.consecutiveBootFailures = 0;
	}

	/**
	 * Start the ids that wait for their first process or for their respawn delay to pass,
	 * as long as fewer than the start concurrency are booting.
	 */
	void startDue() {
		long now = this.clock.nanoTime();
		for (WorkerSlot slot : this.pool.slots()) {
			if (this.pool.isStopping()) {
				return;
			}
			// A ready standby takes over at once; only new processes wait for their turn to boot
			if (isDue(slot, now)
					&& (this.pool.readyStandby() != null || this.pool.starting() < this.settings.startConcurrency())) {
				slot.current = this.starter.start(slot);
				if (slot.current == null) {
					launchFailed(slot);
				}
			}
		}
	}

	private boolean isDue(WorkerSlot slot, long now) {
		return slot.current == null && slot.replacement == null && !slot.removing
				&& (slot.idleState == WorkerState.PENDING
						|| slot.idleState == WorkerState.RESTARTING && now - slot.respawnAtNanos >= 0);
	}

	private void launchFailed(WorkerSlot slot) {
		this.consecutiveBootFailures++;
		if (this.consecutiveBootFailures >= this.settings.maxBootFailures()) {
			String failures = "%d worker(s) in a row could not be started; see the errors above."
				.formatted(this.consecutiveBootFailures);
			if (canKeepServing()) {
				abandonUnready(failures);
			}
			else {
				this.shutdown.begin("workers cannot be started", 1);
			}
		}
		else {
			scheduleRespawn(slot);
		}
	}

	/**
	 * Return when the next respawn delay ends.
	 * @param now the current time
	 * @param next the time to return if no delay ends before
	 * @return the earlier of the two
	 */
	long nextDeadline(long now, long next) {
		long earliest = next;
		for (WorkerSlot slot : this.pool.slots()) {
			// A delay that already ended waits for a booting worker, not for the clock
			if (slot.current == null && slot.replacement == null && slot.idleState == WorkerState.RESTARTING
					&& slot.respawnAtNanos - now > 0) {
				earliest = MasterClock.earlier(earliest, slot.respawnAtNanos);
			}
		}
		return earliest;
	}

}
