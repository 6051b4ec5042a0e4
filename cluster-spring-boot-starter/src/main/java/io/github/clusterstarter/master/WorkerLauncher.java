package io.github.clusterstarter.master;

import java.io.IOException;
import java.util.List;

import io.github.clusterstarter.control.WorkerIdentity;

/**
 * Starts worker processes. An interface, so that tests start none.
 */
interface WorkerLauncher {

	/**
	 * Start a worker process.
	 * @param identity what the worker needs to know to find its master
	 * @param priority the CPU priority the process boots at
	 * @return the process
	 * @throws IOException if it cannot be started
	 */
	WorkerJvm launch(WorkerIdentity identity, BootPriority priority) throws IOException;

	/**
	 * Return the master's JVM options that the workers do not get, for the master's start
	 * log.
	 * @return the dropped options
	 */
	default List<String> droppedOptions() {
		return List.of();
	}

	/**
	 * Stop whatever the launcher runs besides the workers. Called when the master exits.
	 */
	default void close() {
	}

}
