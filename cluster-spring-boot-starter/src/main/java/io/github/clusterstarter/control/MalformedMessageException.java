package io.github.clusterstarter.control;

/**
 * Thrown when a frame is not what the protocol expects. The frame was skipped whole, so
 * the connection can go on.
 */
public class MalformedMessageException extends RuntimeException {

	private final long requestId;

	MalformedMessageException(long requestId, String message) {
		super(message);
		this.requestId = requestId;
	}

	/**
	 * Return the id of the request the frame carried, if it could be read.
	 * @return the request id, or 0
	 */
	public long getRequestId() {
		return this.requestId;
	}

}
