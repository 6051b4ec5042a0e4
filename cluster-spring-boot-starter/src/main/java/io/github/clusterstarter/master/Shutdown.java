package io.github.clusterstarter.master;

import java.time.Duration;

import io.github.clusterstarter.status.WorkerState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Stops the cluster so that every client connection is answered or refused, none reset:
 * after the shutdown delay, during which the workers keep serving while load balancers
 * take the cluster out of rotation, the shared socket stops admitting connections and the ready workers accept what
 * it already admitted (closing a socket would reset those), then every worker stops
 * gracefully, and those still running after the shutdown timeout, or after a second
 * signal, are killed. The master is finished once no worker process is left.
 */
final class Shutdown {

	private static final Log logger = LogFactory.getLog(Shutdown.class);

	/**
	 * Longest wait for the ready workers to accept the connections the socket admitted
	 * before it stopped admitting.
	 */
	static final Duration QUEUE_DRAIN_LIMIT = Duration.ofSeconds(5);

	private static final Duration QUEUE_POLL = Duration.ofMillis(10);

	private final WorkerPool pool;

	private final RollingRestarts rollouts;

	private final MasterClock clock;

	private final Duration timeout;

	private final Duration delay;

	private boolean delaying;

	private long delayEndNanos;

	private String reason = "";

	private SharedListener listener = SharedListener.NONE;

	private boolean drainingQueue;

	private long queueDeadlineNanos;

	private long deadlineNanos;

	private boolean killedAfterTimeout;

	private int exitStatus;

	Shutdown(WorkerPool pool, RollingRestarts rollouts, MasterClock clock, Duration timeout, Duration delay) {
		this.pool = pool;
		this.rollouts = rollouts;
		this.clock = clock;
		this.timeout = timeout;
		this.delay = delay;
	}

	/**
	 * A TERM or INT signal arrived: the first one stops the workers gracefully, the next
	 * kills them.
	 * @param signal the signal's name, such as {@code SIGTERM}
	 * @param handingOver whether a new master runs that takes over the socket
	 */
	void signalled(String signal, boolean handingOver) {
		if (!this.pool.isStopping() && handingOver) {
			handOver(signal + " while a new master runs, which takes over");
		}
		else if (!this.pool.isStopping()) {
			begin(signal, 0);
		}
		else {
			logger.warn("Received %s again while shutting down: killing the workers now".formatted(signal));
			killAll();
		}
	}

	/**
	 * Stop every worker gracefully, at once and without closing the shared socket to new
	 * connections: a new master serves it.
	 * @param reason why, for the log
	 */
	void handOver(String reason) {
		this.listener = SharedListener.handedOver(this.listener);
		begin(reason, 0, Duration.ZERO);
	}

	/**
	 * Stop every worker gracefully.
	 * @param reason why, for the log
	 * @param exitStatus the exit status of the master once the workers are gone
	 */
	void begin(String reason, int exitStatus) {
		begin(reason, exitStatus, this.delay);
	}

	private void begin(String reason, int exitStatus, Duration delay) {
		if (this.pool.isStopping()) {
			return;
		}
		this.pool.stopping();
		this.exitStatus = exitStatus;
		this.reason = reason;
		long now = this.clock.nanoTime();
		this.rollouts.abort("the cluster is shutting down");
		// Only a cluster that serves has anything to keep serving
		if (!delay.isZero() && this.pool.hasReady()) {
			this.delaying = true;
			this.delayEndNanos = now + delay.toNanos();
			logger.info(("Shutting down (%s) in %d ms (cluster.shutdown-delay): the workers keep serving meanwhile, "
					+ "and the cluster health indicator reports OUT_OF_SERVICE").formatted(reason, delay.toMillis()));
			return;
		}
		stopAdmitting(now);
	}

	private void stopAdmitting(long now) {
		this.delaying = false;
		this.deadlineNanos = now + this.timeout.toNanos();
		logger.info("Shutting down (%s): stopping %d worker(s) gracefully, at most %d s".formatted(this.reason,
				this.pool.processes().count(), this.timeout.toSeconds()));
		try {
			this.listener.stopAdmitting();
		}
		catch (RuntimeException ex) {
			logger.warn("The shared socket keeps admitting connections while the workers stop: " + ex.getMessage());
		}
		if (this.pool.hasReady()) {
			this.drainingQueue = true;
			this.queueDeadlineNanos = now + QUEUE_DRAIN_LIMIT.toNanos();
			advance(now);
		}
		else {
			stopWorkers(now);
		}
	}

	private void stopWorkers(long now) {
		this.drainingQueue = false;
		int left = this.listener.queuedConnections();
		if (left > 0) {
			logger.warn("%d connection(s) queued on the shared socket were not accepted within %d ms; closing resets them"
				.formatted(left, QUEUE_DRAIN_LIMIT.toMillis()));
		}
		this.listener.close();
		this.pool.processes().filter((process) -> !process.isStopping()).forEach((process) -> process.stop(now));
		for (WorkerSlot slot : this.pool.slots()) {
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
		if (this.delaying) {
			if (now - this.delayEndNanos >= 0) {
				stopAdmitting(now);
			}
			return;
		}
		if (this.drainingQueue) {
			if (this.listener.queuedConnections() == 0 || now - this.queueDeadlineNanos >= 0) {
				stopWorkers(now);
			}
			return;
		}
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
	long nextDeadline(long now, long next) {
		if (this.delaying) {
			return MasterClock.earlier(next, this.delayEndNanos);
		}
		if (this.drainingQueue) {
			return MasterClock.earlier(next, now + QUEUE_POLL.toNanos());
		}
		return (this.pool.isStopping() && !this.killedAfterTimeout) ? MasterClock.earlier(next, this.deadlineNanos)
				: next;
	}

	/**
	 * Set the socket the workers share, once the master has bound it.
	 * @param listener the socket
	 */
	void listener(SharedListener listener) {
		this.listener = listener;
	}

	/**
	 * Kill every worker still running. Runs on the event loop, and as a shutdown hook in
	 * case the master's JVM exits some other way.
	 */
	void killAll() {
		this.pool.processes().toList().forEach((process) -> process.jvm.kill());
	}

	boolean isFinished() {
		return this.pool.isStopping() && this.pool.processes().findAny().isEmpty();
	}

	int exitStatus() {
		return this.exitStatus;
	}

}
