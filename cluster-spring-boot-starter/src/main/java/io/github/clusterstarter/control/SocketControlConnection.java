package io.github.clusterstarter.control;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A {@link ControlConnection} over the control socket. Frames are written on a thread of
 * the connection's own, from a queue whose size in bytes is bounded: what does not fit
 * while the worker does not read is dropped with a warning, and the watchdog deals with
 * a worker that stopped reading because it hangs.
 */
final class SocketControlConnection implements ControlConnection {

	/**
	 * Most bytes of frames that may wait for one worker to read them: two of the largest
	 * bodies.
	 */
	static final long MAX_QUEUED_BYTES = 2L * ControlProtocol.MAX_BODY_BYTES;

	/**
	 * What a frame's header counts toward the queue: headers are not measured before
	 * they are written, and are small.
	 */
	private static final long HEADER_ALLOWANCE = 1024;

	private static final Log logger = LogFactory.getLog(SocketControlConnection.class);

	private final FrameChannel channel;

	private final int workerId;

	private final long pid;

	private final int protocolVersion;

	private final ExecutorService writer;

	private final AtomicLong queuedBytes = new AtomicLong();

	private final ThrottledLog dropped;

	SocketControlConnection(FrameChannel channel, ControlMessage.Hello hello, int protocolVersion) {
		this.channel = channel;
		this.workerId = hello.worker();
		this.pid = hello.pid();
		this.protocolVersion = protocolVersion;
		this.dropped = new ThrottledLog(logger, "Control messages to " + this);
		this.writer = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "cluster-control-writer-" + this.workerId);
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public int workerId() {
		return this.workerId;
	}

	@Override
	public long pid() {
		return this.pid;
	}

	@Override
	public void welcome() {
		send(new ControlMessage.Welcome(this.protocolVersion));
	}

	@Override
	public void refuse(String reason) {
		logger.warn("Refused the control connection of %s: %s".formatted(this, reason));
		enqueue(0, 0, new ControlMessage.Refused(reason), Frame.NO_BODY);
		this.writer.execute(this::close);
	}

	@Override
	public boolean send(ControlMessage.MasterMessage message, byte[] body) {
		return enqueue(0, 0, message, body);
	}

	@Override
	public boolean reply(Frame<?> request, ControlMessage.MasterMessage answer) {
		return answer(request.requestId(), answer);
	}

	boolean answer(long requestId, ControlMessage.MasterMessage answer) {
		return enqueue(0, requestId, answer, Frame.NO_BODY);
	}

	private boolean enqueue(long requestId, long replyTo, ControlMessage message, byte[] body) {
		if (!this.channel.isOpen()) {
			return false;
		}
		long size = body.length + HEADER_ALLOWANCE;
		if (this.queuedBytes.addAndGet(size) > MAX_QUEUED_BYTES) {
			this.queuedBytes.addAndGet(-size);
			this.dropped.warn("it does not read them; dropped a '%s' message".formatted(ControlMessage.typeName(message)));
			return false;
		}
		try {
			this.writer.execute(() -> write(requestId, replyTo, message, body, size));
			return true;
		}
		catch (RejectedExecutionException ex) {
			this.queuedBytes.addAndGet(-size);
			return false;
		}
	}

	private void write(long requestId, long replyTo, ControlMessage message, byte[] body, long size) {
		try {
			this.channel.write(requestId, replyTo, message, body);
		}
		catch (IOException ex) {
			logger.debug("Cannot send to %s".formatted(this), ex);
			close();
		}
		finally {
			this.queuedBytes.addAndGet(-size);
		}
	}

	@Override
	public void close() {
		this.channel.close();
		this.writer.shutdown();
	}

	@Override
	public boolean isOpen() {
		return this.channel.isOpen();
	}

	@Override
	public String toString() {
		return "worker %d (pid %d)".formatted(this.workerId, this.pid);
	}

}
