package io.github.clusterstarter.master;

/**
 * The CPU priority a worker process boots at.
 */
enum BootPriority {

	/**
	 * The master's: no worker serves yet, so booting slows nobody down.
	 */
	NORMAL,

	/**
	 * Lower than the workers that serve, until the new process is ready to serve itself:
	 * its boot then takes only the CPU time they leave.
	 */
	BACKGROUND

}
