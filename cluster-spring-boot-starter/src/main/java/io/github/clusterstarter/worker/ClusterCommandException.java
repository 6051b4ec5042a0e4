package io.github.clusterstarter.worker;

import io.github.clusterstarter.control.ErrorCode;

/**
 * Thrown when the master refuses a request, such as a second rolling restart while one
 * is in progress.
 */
public class ClusterCommandException extends RuntimeException {

	private final ErrorCode code;

	/**
	 * Create a new exception.
	 * @param code why the request was refused
	 * @param reason the explanation
	 */
	public ClusterCommandException(ErrorCode code, String reason) {
		super(reason);
		this.code = code;
	}

	/**
	 * Return why the master refused.
	 * @return the code
	 */
	public ErrorCode getCode() {
		return this.code;
	}

}
