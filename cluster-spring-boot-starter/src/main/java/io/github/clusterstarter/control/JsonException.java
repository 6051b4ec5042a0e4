package io.github.clusterstarter.control;

/**
 * Thrown when text is not valid JSON.
 */
public class JsonException extends RuntimeException {

	JsonException(String message) {
		super(message);
	}

}
