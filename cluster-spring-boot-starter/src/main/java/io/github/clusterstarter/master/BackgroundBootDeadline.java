package io.github.clusterstarter.master;

import java.time.Duration;

import io.github.clusterstarter.status.WorkerState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Gives a process that boots in the {@link BootPriority#BACKGROUND background} the
 * master's CPU priority once it has booted for half the ready timeout: where the serving
 * workers keep every CPU busy, a boot at a lower priority gets so little CPU time that it
 * could run out of the ready timeout, and a rolling restart would then fail instead of
 * taking a little longer.
 */
final class BackgroundBootDeadline {

	private static final Log logger = LogFactory.getLog(BackgroundBootDeadline.class);

	private final WorkerPool pool;

	private final Duration readyTimeout;

	/**
	 * Create a deadline.
	 * @param pool the workers and standby processes
	 * @param readyTimeout how long a process may take to become ready
	 */
	BackgroundBootDeadline(WorkerPool pool, Duration readyTimeout) {
		this.pool = pool;
		this.readyTimeout = readyTimeout;
	}

	/**
	 * Give the serving priority to the processes that have booted in the background for
	 * half the ready timeout.
	 * @param now the current time
	 */
	void advance(long now) {
		long half = this.readyTimeout.dividedBy(2).toNanos();
		this.pool.processes()
			.filter((process) -> process.bootPriority == BootPriority.BACKGROUND
					&& process.state == WorkerState.STARTING && now - process.startedNanos >= half)
			.toList()
			.forEach((process) -> {
				process.bootPriority = BootPriority.NORMAL;
				logger.info(("%s still boots after %d s at a lower CPU priority (cluster.worker.boot-niceness); "
						+ "it gets the serving priority now, to be ready within cluster.worker.ready-timeout (%d s)")
					.formatted(process.describe(), Duration.ofNanos(now - process.startedNanos).toSeconds(),
							this.readyTimeout.toSeconds()));
				process.jvm.takeServingPriority();
			});
	}

}
