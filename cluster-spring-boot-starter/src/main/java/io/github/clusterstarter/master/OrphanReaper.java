package io.github.clusterstarter.master;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.clusterstarter.socket.ProcessSignals;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Reaps the processes that the kernel hands to the master when it is the first process
 * (PID 1) of a PID namespace, as in a container: the children of a worker that died, or
 * that a worker left behind. Nothing else waits for them, so each would stay a zombie,
 * holding its pid, until the container stops. The processes the master started itself
 * (workers, class data sharing runs) are left alone: the JDK waits for each of them and
 * reports its exit status, which a reaper that got there first would lose.
 */
final class OrphanReaper {

	private static final Log logger = LogFactory.getLog(OrphanReaper.class);

	private static final long INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

	/**
	 * The pids of the live processes that this JVM started: one set per process, like
	 * its children.
	 */
	private static final Set<Long> started = ConcurrentHashMap.newKeySet();

	private final boolean firstProcess;

	private long nextNanos;

	OrphanReaper(long pid, long now) {
		this.firstProcess = pid == 1;
		this.nextNanos = now;
	}

	/**
	 * Remember a process that the master started, until it has exited and the JDK
	 * reaped it.
	 * @param process the process
	 */
	static void started(Process process) {
		started.add(process.pid());
		process.onExit().thenRun(() -> started.remove(process.pid()));
	}

	/**
	 * Reap every orphan that has exited, at most once a second.
	 * @param now the current time
	 */
	void reapIfDue(long now) {
		if (!this.firstProcess || now - this.nextNanos < 0) {
			return;
		}
		this.nextNanos = now + INTERVAL_NANOS;
		ProcessHandle.current()
			.children()
			.filter((child) -> !started.contains(child.pid()))
			.forEach((orphan) -> {
				if (ProcessSignals.reapIfExited(orphan.pid())) {
					logger.debug("Reaped orphaned process " + orphan.pid());
				}
			});
	}

}
