package io.github.clusterstarter.master;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.sun.jna.LastErrorException;
import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.socket.ThreadNiceness;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Starts a worker process at a raised nice value when it boots in the
 * {@link BootPriority#BACKGROUND background}, and tells it the master's value to take back
 * once it is ready. Only where this process may lower a nice value again: a worker left at
 * a lower priority than its siblings would serve its share of the connections slower.
 */
final class BackgroundBoot {

	private static final Log logger = LogFactory.getLog(BackgroundBoot.class);

	private final int servingNiceness;

	private final int bootNiceness;

	private BackgroundBoot(int servingNiceness, int bootNiceness) {
		this.servingNiceness = servingNiceness;
		this.bootNiceness = bootNiceness;
	}

	/**
	 * Return how this process starts workers in the background.
	 * @param raise how much to raise the nice value of a worker booting in the background
	 * @return the background boot, which starts every worker at the master's priority where
	 * a raised value could not be lowered again
	 */
	static BackgroundBoot of(int raise) {
		int niceness = ThreadNiceness.ofCallingThread();
		if (raise == 0 || niceness >= ThreadNiceness.MAX) {
			return new BackgroundBoot(niceness, niceness);
		}
		if (!ThreadNiceness.canLowerBack()) {
			logger.info(("Workers that boot while others serve do so at the master's CPU priority: "
					+ "this process may not lower a nice value again (it needs root, CAP_SYS_NICE or RLIMIT_NICE), "
					+ "so cluster.worker.boot-niceness=%d is not applied").formatted(raise));
			return new BackgroundBoot(niceness, niceness);
		}
		return new BackgroundBoot(niceness, Math.min(niceness + raise, ThreadNiceness.MAX));
	}

	/**
	 * Give every thread of a process started in the background the master's nice value.
	 * @param pid the process
	 */
	void takeServingPriority(long pid) {
		try {
			ThreadNiceness.setEveryThread(pid, this.servingNiceness);
		}
		catch (LastErrorException | UncheckedIOException ex) {
			// Gone meanwhile, or the privilege was dropped: the worker tries again when ready
			logger.warn("Cannot give pid %d the serving CPU priority: %s".formatted(pid, ex.getMessage()));
		}
	}

	/**
	 * Start a worker process.
	 * @param builder the worker's process builder
	 * @param priority the priority to boot at
	 * @return the process
	 * @throws IOException if it cannot be started
	 */
	Process start(ProcessBuilder builder, BootPriority priority) throws IOException {
		if (priority == BootPriority.NORMAL || this.bootNiceness == this.servingNiceness) {
			return builder.start();
		}
		builder.environment().put(WorkerIdentity.SERVING_NICENESS_VARIABLE, Integer.toString(this.servingNiceness));
		try {
			// The process gets the value of the thread that starts it, which then ends
			return ThreadNiceness.onThreadOfItsOwn(this.bootNiceness, builder::start);
		}
		catch (IOException | RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IOException(ex);
		}
	}

}
