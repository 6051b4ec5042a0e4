package io.github.clusterstarter.status;

/**
 * The state of the master.
 */
public enum MasterState {

	/**
	 * Supervising its workers.
	 */
	RUNNING,

	/**
	 * Shutting the cluster down.
	 */
	STOPPING

}
