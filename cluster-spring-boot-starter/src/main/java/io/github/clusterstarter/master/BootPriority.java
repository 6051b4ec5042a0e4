package io.github.clusterstarter.master;

/**
 * The CPU priority a worker process boots at.
 */
enum BootPriority {

	/**
	 * The master's: no worker serves yet, so booting slows nobody down, or the process
	 * gives a worker id without one (a respawn, a scale-up) the capacity the cluster lacks.
	 */
	NORMAL,

	/**
	 * Lower than the workers that serve, until the new process is ready to serve itself:
	 * its boot then takes only the CPU time they leave. For a process that boots while the
	 * one it replaces serves (a rolling restart, recycling), and for a standby.
	 */
	BACKGROUND

}
