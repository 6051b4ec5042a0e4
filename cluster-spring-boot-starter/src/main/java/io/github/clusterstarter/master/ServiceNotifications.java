package io.github.clusterstarter.master;

import java.util.function.BooleanSupplier;

import io.github.clusterstarter.status.WorkerState;
import org.jspecify.annotations.Nullable;

/**
 * Decides what the master tells its service manager (systemd's {@code Type=notify}):
 * {@code READY=1} once the desired workers are ready, {@code RELOADING=1} when a rolling
 * restart started by {@code SIGHUP} ({@code systemctl reload}) begins and {@code READY=1}
 * when it ends, {@code STOPPING=1} when the shutdown begins, a {@code STATUS=} line for
 * {@code systemctl status} whenever the workers or the rollout change, and
 * {@code WATCHDOG=1} every half of the watchdog timeout. The pings come from the event
 * loop, so a master whose loop hangs stops sending them and is restarted. A master
 * replaced by a new one ({@link MasterUpgrade}) does not send {@code STOPPING=1}.
 */
final class ServiceNotifications {

	private final WorkerPool pool;

	private final RollingRestarts rollouts;

	private final ServiceManager manager;

	private final long pid;

	private final BooleanSupplier handingOver;

	private @Nullable Long nextPingNanos;

	private boolean ready;

	private boolean stopping;

	private @Nullable Rollout reload;

	private String status = "";

	ServiceNotifications(WorkerPool pool, RollingRestarts rollouts, ServiceManager manager, long pid,
			BooleanSupplier handingOver) {
		this.pool = pool;
		this.rollouts = rollouts;
		this.manager = manager;
		this.pid = pid;
		this.handingOver = handingOver;
	}

	/**
	 * Send what changed since the last call, and a watchdog ping when one is due.
	 * @param now the current time
	 */
	void advance(long now) {
		long interval = this.manager.watchdogTimeout().toNanos() / 2;
		if (interval > 0 && (this.nextPingNanos == null || now - this.nextPingNanos >= 0)) {
			this.nextPingNanos = now + interval;
			this.manager.notify("WATCHDOG=1");
		}
		String status = status();
		Rollout rollout = this.rollouts.rollout();
		if (this.pool.isStopping()) {
			// A master that hands over to a new one (which sent READY=1 and MAINPID=) is not the service stopping
			if (!this.stopping && !this.handingOver.getAsBoolean()) {
				this.stopping = true;
				notify("STOPPING=1", status);
			}
		}
		else if (!this.ready && this.pool.isStarted()) {
			this.ready = true;
			notify("READY=1\nMAINPID=" + this.pid, status);
		}
		else if (this.ready && this.reload == null && rollout != null && rollout.isInProgress()
				&& rollout.trigger.equals("SIGHUP")) {
			this.reload = rollout;
			notify("RELOADING=1\nMONOTONIC_USEC=" + now / 1000, status);
		}
		else if (this.reload != null && !this.reload.isInProgress()) {
			this.reload = null;
			notify("READY=1", status);
		}
		if (!status.equals(this.status)) {
			notify(null, status);
		}
	}

	private void notify(@Nullable String state, String status) {
		this.status = status;
		this.manager.notify(((state != null) ? state + "\n" : "") + "STATUS=" + status);
	}

	private String status() {
		if (this.pool.isStopping()) {
			return "Stopping: %d worker process(es) left".formatted(this.pool.processes().count());
		}
		long ready = this.pool.slots().stream().filter((slot) -> slot.state() == WorkerState.READY).count();
		String workers = "%d of %d worker(s) ready".formatted(ready, this.pool.desired());
		Rollout rollout = this.rollouts.rollout();
		return (rollout != null && rollout.isInProgress()) ? workers + "; rolling restart: " + rollout.describe()
				: workers;
	}

	/**
	 * Return when the next watchdog ping is due.
	 * @param next the time to return if it is not due before
	 * @return the earlier of the two
	 */
	long nextDeadline(long next) {
		Long ping = this.nextPingNanos;
		return (ping != null) ? MasterClock.earlier(next, ping) : next;
	}

}
