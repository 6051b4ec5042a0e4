package io.github.clusterstarter.control;

/**
 * Thrown when the master answers a request with an error.
 */
public class ControlRequestException extends RuntimeException {

	private final String code;

	ControlRequestException(String code, String reason) {
		super(reason);
		this.code = code;
	}

	/**
	 * Return what kind of error the master reported.
	 * @return the error code
	 */
	public String getCode() {
		return this.code;
	}

}
