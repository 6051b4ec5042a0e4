package io.github.clusterstarter.status;

/**
 * The state of a worker slot, as the master sees it.
 */
public enum WorkerState {

	/**
	 * Waiting for its turn to boot.
	 */
	PENDING,

	/**
	 * Process started, application not ready yet.
	 */
	STARTING,

	/**
	 * Application ready and accepting connections.
	 */
	READY,

	/**
	 * A standby process: application ready, held outside the accept pool until it takes
	 * over a worker id.
	 */
	STANDBY,

	/**
	 * Asked to stop; draining its connections.
	 */
	STOPPING,

	/**
	 * Exited unexpectedly; waiting for its respawn delay to pass.
	 */
	RESTARTING,

	/**
	 * Stopped for good.
	 */
	STOPPED

}
