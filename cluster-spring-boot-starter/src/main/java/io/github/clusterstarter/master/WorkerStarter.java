package io.github.clusterstarter.master;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.status.ReplacementReason;
import io.github.clusterstarter.status.WorkerState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Starts a process for a worker id, whoever decided that it is time: it promotes a ready
 * standby process where one may take over, or launches a new one; it counts the process
 * when it replaces an earlier one, and has its exit posted to the event loop. It also
 * launches the standby processes.
 */
final class WorkerStarter {

	private static final Log logger = LogFactory.getLog(WorkerStarter.class);

	private final WorkerLauncher launcher;

	private final MasterClock clock;

	private final IntFunction<WorkerIdentity> identities;

	private final Consumer<MasterEvent> events;

	private final WorkerPool pool;

	/**
	 * Processes started again for an id, by the reason of the last replacement.
	 */
	private final Map<ReplacementReason, Long> replacements = new EnumMap<>(ReplacementReason.class);

	/**
	 * Create a starter.
	 * @param pool the workers and standby processes
	 * @param launcher what starts the processes
	 * @param clock the master's clock
	 * @param identities the identity of the worker with a given id
	 * @param events where the exit of a process is posted
	 */
	WorkerStarter(WorkerPool pool, WorkerLauncher launcher, MasterClock clock,
			IntFunction<WorkerIdentity> identities, Consumer<MasterEvent> events) {
		this.pool = pool;
		this.launcher = launcher;
		this.clock = clock;
		this.identities = identities;
		this.events = events;
	}

	/**
	 * Give a worker id a process: a ready standby that takes over at once, if there is
	 * one, or else a new process.
	 * @param slot the worker id
	 * @return the process, or {@code null} if it could not be started (logged)
	 */
	@Nullable WorkerProcess start(WorkerSlot slot) {
		WorkerProcess standby = this.pool.readyStandby();
		if (standby == null) {
			return launch(slot);
		}
		this.pool.standbys.remove(standby);
		standby.workerId = slot.id;
		standby.state = WorkerState.READY;
		standby.send(new ControlMessage.Promote(slot.id));
		counted(slot);
		logger.info("Standby pid %d took over as worker %d".formatted(standby.pid, slot.id));
		return standby;
	}

	/**
	 * Start a new process for a worker id, even if a standby is ready: a rolling restart
	 * wants processes that run the application as it is now.
	 * @param slot the worker id
	 * @return the process, or {@code null} if it could not be started (logged)
	 */
	@Nullable WorkerProcess launch(WorkerSlot slot) {
		// A worker id without a process (a respawn, a first start, a scale-up) is capacity the
		// cluster lacks, which comes first; a replacement boots while the process it replaces serves
		WorkerProcess process = launch(slot.id, (slot.current != null) ? besideServingWorkers() : BootPriority.NORMAL);
		if (process != null) {
			counted(slot);
		}
		return process;
	}

	/**
	 * Start a standby process.
	 * @return the process, or {@code null} if it could not be started (logged)
	 */
	@Nullable WorkerProcess launchStandby() {
		return launch(WorkerIdentity.STANDBY_ID, besideServingWorkers());
	}

	private BootPriority besideServingWorkers() {
		return this.pool.hasReady() ? BootPriority.BACKGROUND : BootPriority.NORMAL;
	}

	private @Nullable WorkerProcess launch(int workerId, BootPriority priority) {
		WorkerJvm jvm;
		try {
			jvm = this.launcher.launch(this.identities.apply(workerId), priority);
		}
		catch (IOException ex) {
			logger.error("Cannot start %s: %s".formatted(
					(workerId != WorkerIdentity.STANDBY_ID) ? "worker " + workerId : "a standby", ex.getMessage()), ex);
			return null;
		}
		WorkerProcess process = new WorkerProcess(workerId, jvm, this.clock.nanoTime(), this.clock.instant());
		process.bootPriority = priority;
		jvm.onExit(() -> this.events.accept(new MasterEvent.WorkerExited(process)));
		logger.info("Started " + process.describe());
		return process;
	}

	private void counted(WorkerSlot slot) {
		if (slot.everStarted) {
			slot.restarts++;
			if (slot.lastReplacement != null) {
				this.replacements.merge(slot.lastReplacement, 1L, Long::sum);
			}
		}
		slot.everStarted = true;
	}

	Map<ReplacementReason, Long> replacements() {
		return Map.copyOf(this.replacements);
	}

}
