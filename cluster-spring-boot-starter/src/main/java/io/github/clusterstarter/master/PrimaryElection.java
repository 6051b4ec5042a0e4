package io.github.clusterstarter.master;

import io.github.clusterstarter.control.ControlMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps exactly one ready worker primary, for one-worker-only jobs. The role sticks to its
 * process until that process is no longer the ready current process of its id (it exited,
 * was replaced, hung or is being removed); then the ready worker with the lowest id takes
 * it, and every worker is told. While the cluster shuts down, none is primary.
 */
final class PrimaryElection {

	private static final Log logger = LogFactory.getLog(PrimaryElection.class);

	private final WorkerPool pool;

	/**
	 * The process that runs one-worker-only jobs, 0 for none.
	 */
	private long primaryPid;

	PrimaryElection(WorkerPool pool) {
		this.pool = pool;
	}

	/**
	 * Elect a new primary if the current one is no longer eligible.
	 */
	void elect() {
		if (isEligible(this.primaryPid)) {
			return;
		}
		long elected = this.pool.slots()
			.stream()
			.map((slot) -> slot.current)
			.filter((process) -> process != null && isEligible(process.pid))
			.mapToLong((process) -> process.pid)
			.findFirst()
			.orElse(0);
		if (elected != this.primaryPid) {
			this.primaryPid = elected;
			ControlMessage.Primary primary = new ControlMessage.Primary(elected);
			this.pool.processes().forEach((process) -> process.send(primary));
			if (elected != 0) {
				logger.info("Worker %d (pid %d) is now the primary worker".formatted(primaryWorker(), elected));
			}
		}
	}

	private boolean isEligible(long pid) {
		if (pid == 0 || this.pool.isStopping()) {
			return false;
		}
		return this.pool.slots()
			.stream()
			.anyMatch((slot) -> !slot.removing && slot.current != null && slot.current.pid == pid
					&& slot.current.isReady() && !slot.current.hung);
	}

	/**
	 * Tell a process which process is primary, when the master starts sending to it.
	 * @param process the process
	 */
	void announceTo(WorkerProcess process) {
		process.send(new ControlMessage.Primary(this.primaryPid));
	}

	/**
	 * Return the id of the primary worker.
	 * @return the id, or {@code null} while none is primary
	 */
	@Nullable Integer primaryWorker() {
		return this.pool.slots()
			.stream()
			.filter((slot) -> slot.current != null && slot.current.pid == this.primaryPid)
			.map((slot) -> slot.id)
			.findFirst()
			.orElse(null);
	}

}
