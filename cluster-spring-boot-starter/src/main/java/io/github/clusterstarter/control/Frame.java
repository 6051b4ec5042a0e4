package io.github.clusterstarter.control;

/**
 * One message on a control connection with its body. A request carries an id that its
 * answer names in {@code replyTo}; 0 means none.
 *
 * @param <M> the type of the message
 * @param requestId the id of this request, or 0 if it expects no answer
 * @param replyTo the id of the request this answers, or 0
 * @param message the message
 * @param body the body: application data that the master relays unread, often empty
 */
public record Frame<M extends ControlMessage>(long requestId, long replyTo, M message, byte[] body) {

	/**
	 * The body of a frame that carries none.
	 */
	public static final byte[] NO_BODY = new byte[0];

	/**
	 * Return whether this frame is a request that expects an answer.
	 * @return whether it expects an answer
	 */
	public boolean isRequest() {
		return this.requestId != 0;
	}

}
