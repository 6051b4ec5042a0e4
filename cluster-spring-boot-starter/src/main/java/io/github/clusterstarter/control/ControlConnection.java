package io.github.clusterstarter.control;

import java.io.IOException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The master's end of an authenticated connection from one worker process.
 */
public final class ControlConnection {

	private static final Log logger = LogFactory.getLog(ControlConnection.class);

	private final LineChannel channel;

	private final int workerId;

	private final long pid;

	ControlConnection(LineChannel channel, int workerId, long pid) {
		this.channel = channel;
		this.workerId = workerId;
		this.pid = pid;
	}

	/**
	 * Return the id the worker presented.
	 * @return the worker id
	 */
	public int workerId() {
		return this.workerId;
	}

	/**
	 * Return the pid the worker presented.
	 * @return the pid
	 */
	public long pid() {
		return this.pid;
	}

	/**
	 * Send a message. A failure closes the connection.
	 * @param message the message
	 * @return whether it was sent
	 */
	public boolean send(Message message) {
		try {
			this.channel.write(message);
			return true;
		}
		catch (IOException ex) {
			logger.debug("Cannot send to worker %d (pid %d)".formatted(this.workerId, this.pid), ex);
			close();
			return false;
		}
	}

	/**
	 * Answer a request.
	 * @param request the request
	 * @param response the answer; its type is replaced by {@code response}
	 * @return whether it was sent
	 */
	public boolean reply(Message request, Message response) {
		Message reply = Message.of("response");
		for (var field : response.asMap().entrySet()) {
			if (!field.getKey().equals("type")) {
				reply = reply.with(field.getKey(), field.getValue());
			}
		}
		return send(reply.with(ControlClient.REQUEST_ID, request.get(ControlClient.REQUEST_ID)));
	}

	/**
	 * Answer a request with an error.
	 * @param request the request
	 * @param code what kind of error, for the requester to act on
	 * @param reason why it failed
	 * @return whether it was sent
	 */
	public boolean replyError(Message request, String code, String reason) {
		return send(Message.of("error", "code", code, "reason", reason, ControlClient.REQUEST_ID,
				request.get(ControlClient.REQUEST_ID)));
	}

	/**
	 * Close the connection.
	 */
	public void close() {
		this.channel.close();
	}

	/**
	 * Return whether the connection is open.
	 * @return whether it is open
	 */
	public boolean isOpen() {
		return this.channel.isOpen();
	}

	@Override
	public String toString() {
		return "ControlConnection[worker=%d, pid=%d]".formatted(this.workerId, this.pid);
	}

}
