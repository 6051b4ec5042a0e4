package io.github.clusterstarter.control;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The master's end of an authenticated connection from one worker process.
 */
public final class ControlConnection {

	/**
	 * Most characters of messages that may wait for a worker to read them.
	 */
	static final long MAX_QUEUED_BYTES = 16L * Message.MAX_LENGTH;

	private static final Log logger = LogFactory.getLog(ControlConnection.class);

	private final LineChannel channel;

	private final int workerId;

	private final long pid;

	/**
	 * Writes happen on a thread of their own, so that a worker that stops reading (frozen,
	 * stopped) can never block the master's event loop. Queued bytes are bounded.
	 */
	private final ExecutorService writer;

	private final AtomicLong queuedBytes = new AtomicLong();

	ControlConnection(LineChannel channel, int workerId, long pid) {
		this.channel = channel;
		this.workerId = workerId;
		this.pid = pid;
		this.writer = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "cluster-control-writer-" + workerId);
			thread.setDaemon(true);
			return thread;
		});
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
	 * Queue a message for sending, without waiting for the worker to read it. A worker
	 * that lets more than {@link #MAX_QUEUED_BYTES} pile up, or a write failure, closes
	 * the connection.
	 * @param message the message
	 * @return whether it was queued
	 */
	public boolean send(Message message) {
		if (!this.channel.isOpen()) {
			return false;
		}
		long size = message.toJson().length();
		if (this.queuedBytes.addAndGet(size) > MAX_QUEUED_BYTES) {
			logger.warn("Worker %d (pid %d) does not read its control messages; closing its connection"
				.formatted(this.workerId, this.pid));
			close();
			return false;
		}
		try {
			this.writer.execute(() -> write(message, size));
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	private void write(Message message, long size) {
		try {
			this.channel.write(message);
		}
		catch (IOException ex) {
			logger.debug("Cannot send to worker %d (pid %d)".formatted(this.workerId, this.pid), ex);
			close();
		}
		finally {
			this.queuedBytes.addAndGet(-size);
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
		this.writer.shutdownNow();
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
