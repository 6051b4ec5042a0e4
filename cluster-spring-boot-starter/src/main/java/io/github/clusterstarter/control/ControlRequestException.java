package io.github.clusterstarter.control;

/**
 * Thrown when the master answers a request with an error.
 */
public class ControlRequestException extends RuntimeException {

	private final ErrorCode code;

	ControlRequestException(ErrorCode code, String reason) {
		super(reason);
		this.code = code;
	}

	/**
	 * Return what kind of error the master reported.
	 * @return the error code
	 */
	public ErrorCode getCode() {
		return this.code;
	}

}
