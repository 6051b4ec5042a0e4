package io.github.clusterstarter.control;

/**
 * Thrown when a control message is not what the protocol expects.
 */
public class MalformedMessageException extends RuntimeException {

	MalformedMessageException(String message) {
		super(message);
	}

	MalformedMessageException(String message, Throwable cause) {
		super(message, cause);
	}

}
