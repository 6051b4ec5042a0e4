package io.github.clusterstarter.worker;

/**
 * Thrown when a worker cannot get an answer from the cluster master.
 */
public class MasterUnavailableException extends RuntimeException {

	MasterUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
