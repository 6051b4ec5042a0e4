package io.github.clusterstarter.control;

/**
 * The master's end of one authenticated connection from a worker process. Sending never
 * blocks the caller: a worker that stops reading cannot hold up the master.
 */
public interface ControlConnection {

	/**
	 * Return the id the worker presented.
	 * @return the worker id
	 */
	int workerId();

	/**
	 * Return the pid the worker presented.
	 * @return the pid
	 */
	long pid();

	/**
	 * Accept the worker's hello.
	 */
	void welcome();

	/**
	 * Refuse the worker's hello and close the connection.
	 * @param reason why, for the worker's log
	 */
	void refuse(String reason);

	/**
	 * Queue a message for sending.
	 * @param message the message
	 * @return whether it was queued
	 */
	default boolean send(ControlMessage.MasterMessage message) {
		return send(message, Frame.NO_BODY);
	}

	/**
	 * Queue a message with a body for sending.
	 * @param message the message
	 * @param body the body
	 * @return whether it was queued
	 */
	boolean send(ControlMessage.MasterMessage message, byte[] body);

	/**
	 * Answer a request.
	 * @param request the request
	 * @param answer the answer
	 * @return whether it was queued
	 */
	boolean reply(Frame<?> request, ControlMessage.MasterMessage answer);

	/**
	 * Answer a request with an error.
	 * @param request the request
	 * @param code what kind of error
	 * @param reason why
	 * @return whether it was queued
	 */
	default boolean replyError(Frame<?> request, ErrorCode code, String reason) {
		return reply(request, new ControlMessage.Failure(code, reason));
	}

	/**
	 * Close the connection. Idempotent.
	 */
	void close();

	/**
	 * Return whether the connection is open.
	 * @return whether it is open
	 */
	boolean isOpen();

}
