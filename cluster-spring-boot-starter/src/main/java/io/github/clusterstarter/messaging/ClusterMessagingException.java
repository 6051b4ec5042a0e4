package io.github.clusterstarter.messaging;

/**
 * Thrown when a message cannot be sent to other workers.
 */
public class ClusterMessagingException extends RuntimeException {

	ClusterMessagingException(String message) {
		super(message);
	}

	ClusterMessagingException(String message, Throwable cause) {
		super(message, cause);
	}

}
