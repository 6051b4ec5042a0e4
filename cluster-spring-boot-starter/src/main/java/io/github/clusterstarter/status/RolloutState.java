package io.github.clusterstarter.status;

/**
 * The state of a rolling restart.
 */
public enum RolloutState {

	/**
	 * Replacing workers.
	 */
	IN_PROGRESS,

	/**
	 * Every worker it covers was replaced.
	 */
	SUCCEEDED,

	/**
	 * A replacement failed; the remaining workers were left as they were.
	 */
	FAILED

}
