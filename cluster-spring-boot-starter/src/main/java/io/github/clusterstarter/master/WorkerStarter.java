package io.github.clusterstarter.master;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.status.ReplacementReason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Starts a process for a worker id, whoever decided that it is time: it launches it,
 * counts it when it replaces an earlier process, and has its exit posted to the event
 * loop.
 */
final class WorkerStarter {

	private static final Log logger = LogFactory.getLog(WorkerStarter.class);

	private final WorkerLauncher launcher;

	private final MasterClock clock;

	private final IntFunction<WorkerIdentity> identities;

	private final Consumer<MasterEvent> events;

	/**
	 * Processes started again for an id, by the reason of the last replacement.
	 */
	private final Map<ReplacementReason, Long> replacements = new EnumMap<>(ReplacementReason.class);

	/**
	 * Create a starter.
	 * @param launcher what starts the processes
	 * @param clock the master's clock
	 * @param identities the identity of the worker with a given id
	 * @param events where the exit of a process is posted
	 */
	WorkerStarter(WorkerLauncher launcher, MasterClock clock, IntFunction<WorkerIdentity> identities,
			Consumer<MasterEvent> events) {
		this.launcher = launcher;
		this.clock = clock;
		this.identities = identities;
		this.events = events;
	}

	/**
	 * Start a process for a worker id.
	 * @param slot the worker id
	 * @return the process, or {@code null} if it could not be started (logged)
	 */
	@Nullable WorkerProcess start(WorkerSlot slot) {
		WorkerJvm jvm;
		try {
			jvm = this.launcher.launch(this.identities.apply(slot.id));
		}
		catch (IOException ex) {
			logger.error("Cannot start worker %d: %s".formatted(slot.id, ex.getMessage()), ex);
			return null;
		}
		WorkerProcess process = new WorkerProcess(slot.id, jvm, this.clock.nanoTime(), this.clock.instant());
		if (slot.everStarted) {
			slot.restarts++;
			if (slot.lastReplacement != null) {
				this.replacements.merge(slot.lastReplacement, 1L, Long::sum);
			}
		}
		slot.everStarted = true;
		jvm.onExit(() -> this.events.accept(new MasterEvent.WorkerExited(slot, process)));
		logger.info("Started " + process.describe());
		return process;
	}

	Map<ReplacementReason, Long> replacements() {
		return Map.copyOf(this.replacements);
	}

}
