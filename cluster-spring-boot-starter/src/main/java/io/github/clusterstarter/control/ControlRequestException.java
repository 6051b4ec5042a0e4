package io.github.clusterstarter.control;

/**
 * Thrown when the master answers a request with an error.
 */
public class ControlRequestException extends RuntimeException {

	ControlRequestException(String reason) {
		super(reason);
	}

}
