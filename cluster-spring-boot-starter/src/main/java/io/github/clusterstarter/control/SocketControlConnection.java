package io.github.clusterstarter.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A {@link ControlConnection} over the control socket, which is non-blocking. A frame is
 * written at once on the caller's thread (the master's event loop) when nothing waits
 * before it and the socket takes all of it: the common case costs no hand-off to another
 * thread. Otherwise it waits in a queue whose size in bytes is bounded, and the
 * connection's writer thread writes everything queued in as few system calls as it can.
 * What does not fit in the queue while the worker does not read is dropped with a
 * warning, and the watchdog deals with a worker that stopped reading because it hangs.
 */
final class SocketControlConnection implements ControlConnection {

	/**
	 * Most bytes of frames that may wait for one worker to read them: two of the largest
	 * bodies.
	 */
	static final long MAX_QUEUED_BYTES = 2L * ControlProtocol.MAX_BODY_BYTES;

	/**
	 * Most frames the writer writes in one go: a gathering write takes at most 1,024
	 * buffers, two per frame.
	 */
	private static final int MAX_FRAMES_PER_WRITE = 512;

	private static final Log logger = LogFactory.getLog(SocketControlConnection.class);

	private final FrameChannel channel;

	private final int workerId;

	private final long pid;

	private final int protocolVersion;

	private final ThrottledLog dropped;

	/**
	 * Frames waiting for the writer, guarded by itself like the fields below.
	 */
	private final ArrayDeque<QueuedFrame> queue = new ArrayDeque<>();

	private long queuedBytes;

	/**
	 * Whether the writer holds frames taken from the queue that are not all written yet:
	 * a new frame must not overtake them.
	 */
	private boolean writing;

	private boolean closeWhenWritten;

	private boolean closed;

	SocketControlConnection(FrameChannel channel, ControlMessage.Hello hello, int protocolVersion) {
		this.channel = channel;
		this.workerId = hello.worker();
		this.pid = hello.pid();
		this.protocolVersion = protocolVersion;
		this.dropped = new ThrottledLog(logger, "Control messages to " + this);
		Thread writer = new Thread(this::writeQueued, "cluster-control-writer-" + this.workerId);
		writer.setDaemon(true);
		writer.start();
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
		synchronized (this.queue) {
			if (this.queue.isEmpty() && !this.writing) {
				close();
			}
			else {
				this.closeWhenWritten = true;
			}
		}
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
		ByteBuffer[] buffers = FrameChannel.encode(requestId, replyTo, message, body);
		QueuedFrame frame = new QueuedFrame(buffers, buffers[0].remaining() + (long) body.length);
		synchronized (this.queue) {
			if (this.closed || !this.channel.isOpen()) {
				return false;
			}
			if (this.queue.isEmpty() && !this.writing && writeNow(buffers)) {
				return true;
			}
			if (this.queuedBytes + frame.size() > MAX_QUEUED_BYTES) {
				this.dropped.warn("it does not read them; dropped a '%s' message".formatted(ControlMessage.typeName(message)));
				return false;
			}
			this.queue.add(frame);
			this.queuedBytes += frame.size();
			this.queue.notifyAll();
			return true;
		}
	}

	/**
	 * Write without waiting; a frame that the socket took only in part goes to the queue
	 * with what is left of it.
	 * @return whether the whole frame was written
	 */
	private boolean writeNow(ByteBuffer[] buffers) {
		try {
			return this.channel.writeNow(buffers);
		}
		catch (IOException ex) {
			logger.debug("Cannot send to %s".formatted(this), ex);
			close();
			// Failed as a queued frame fails: the connection's end tells
			return true;
		}
	}

	/**
	 * The writer thread: write whatever is queued, many frames per system call, waiting
	 * for the socket to take them.
	 */
	private void writeQueued() {
		List<QueuedFrame> batch = new ArrayList<>();
		try {
			while (true) {
				synchronized (this.queue) {
					this.writing = false;
					this.queuedBytes -= batch.stream().mapToLong(QueuedFrame::size).sum();
					batch.clear();
					while (this.queue.isEmpty() && !this.closed) {
						if (this.closeWhenWritten) {
							close();
						}
						else {
							this.queue.wait();
						}
					}
					if (this.closed) {
						return;
					}
					while (!this.queue.isEmpty() && batch.size() < MAX_FRAMES_PER_WRITE) {
						batch.add(this.queue.poll());
					}
					this.writing = true;
				}
				this.channel.write(batch.stream().flatMap((frame) -> List.of(frame.buffers()).stream())
					.toArray(ByteBuffer[]::new));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			close();
		}
		catch (IOException ex) {
			logger.debug("Cannot send to %s".formatted(this), ex);
			close();
		}
	}

	@Override
	public void close() {
		this.channel.close();
		synchronized (this.queue) {
			this.closed = true;
			this.queue.clear();
			this.queue.notifyAll();
		}
	}

	@Override
	public boolean isOpen() {
		return this.channel.isOpen();
	}

	@Override
	public String toString() {
		return "worker %d (pid %d)".formatted(this.workerId, this.pid);
	}

	/**
	 * A frame waiting to be written.
	 * @param buffers its header line and body, as {@link FrameChannel#encode encoded}
	 * @param size how many bytes it counts toward the queue's bound
	 */
	private record QueuedFrame(ByteBuffer[] buffers, long size) {

	}

}
