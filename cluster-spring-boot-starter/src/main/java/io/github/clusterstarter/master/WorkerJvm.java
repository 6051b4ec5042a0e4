package io.github.clusterstarter.master;

import java.util.List;

/**
 * A worker process that the master started, as the master acts on it. An interface, so
 * that tests can use processes that do not exist.
 */
interface WorkerJvm {

	/**
	 * Return the process id.
	 * @return the pid
	 */
	long pid();

	/**
	 * Ask the worker to stop gracefully ({@code SIGTERM}): it drains its connections,
	 * finishes its requests and exits.
	 */
	void stop();

	/**
	 * Kill the worker at once ({@code SIGKILL}).
	 */
	void kill();

	/**
	 * Ask the worker for a thread dump ({@code SIGQUIT}), which it prints to its standard
	 * output before carrying on.
	 * @return whether the signal was sent
	 */
	boolean requestThreadDump();

	/**
	 * Give every thread of a process that boots in the {@link BootPriority#BACKGROUND
	 * background} the master's CPU priority.
	 */
	void takeServingPriority();

	/**
	 * Let every thread of the process run on the given CPUs only.
	 * @param cpus the CPU numbers
	 * @throws com.sun.jna.LastErrorException if the process may use none of them
	 * @throws java.io.UncheckedIOException if its threads cannot be listed, as when it is
	 * gone
	 */
	void runOn(List<Integer> cpus);

	/**
	 * Return the exit status, once the process has exited.
	 * @return the exit status
	 */
	int exitStatus();

	/**
	 * Run an action once the process has exited, on whatever thread notices it.
	 * @param action the action
	 */
	void onExit(Runnable action);

}
