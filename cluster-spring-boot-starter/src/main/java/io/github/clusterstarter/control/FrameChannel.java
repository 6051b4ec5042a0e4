package io.github.clusterstarter.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

import org.jspecify.annotations.Nullable;

/**
 * Frames over a socket channel (see {@link ControlProtocol} for the format). Reads and
 * writes go to the channel directly: the JDK's channel streams would serialize a write
 * behind a blocked read.
 * <p>
 * The channel may be blocking or not. On a non-blocking channel {@link #read()} and
 * {@link #write} still wait (each direction on a selector of its own, opened when first
 * needed), and {@link #writeNow} writes what the socket takes without waiting: the
 * master writes to a worker from its event loop that way, without a hand-off to another
 * thread, and never blocks on a worker that does not read.
 */
final class FrameChannel implements AutoCloseable {

	private static final byte NEWLINE = '\n';

	/**
	 * How long a wait on a selector lasts before the channel is checked again: a close
	 * that races with opening the selector cannot leave a thread waiting for good.
	 */
	private static final long SELECT_TIMEOUT_MILLIS = 1000;

	private final SocketChannel channel;

	private final ByteBuffer input = ByteBuffer.allocate(64 * 1024).flip();

	private final Object writeLock = new Object();

	private volatile @Nullable Selector readSelector;

	private volatile @Nullable Selector writeSelector;

	FrameChannel(SocketChannel channel) {
		this.channel = channel;
	}

	/**
	 * Read the next frame.
	 * @return the frame, or {@code null} at the end of the stream
	 * @throws IOException on a read failure
	 * @throws MalformedMessageException if the frame breaks the protocol; it was skipped
	 * and the next read starts at the next frame
	 */
	@Nullable Frame<ControlMessage> read() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		long lineLength = readLine(line);
		if (lineLength < 0) {
			return null;
		}
		if (lineLength > ControlProtocol.MAX_HEADER_BYTES) {
			throw new MalformedMessageException(0, "a header line of %d bytes exceeds the limit of %d bytes"
				.formatted(lineLength, ControlProtocol.MAX_HEADER_BYTES));
		}
		ControlCodec.Envelope envelope = ControlCodec.readEnvelope(line.toByteArray());
		if (envelope.bodyLength() > ControlProtocol.MAX_BODY_BYTES) {
			if (!skip(envelope.bodyLength())) {
				return null;
			}
			throw new MalformedMessageException(envelope.requestId(), "a body of %d bytes exceeds the limit of %d bytes"
				.formatted(envelope.bodyLength(), ControlProtocol.MAX_BODY_BYTES));
		}
		byte[] body = readBody((int) envelope.bodyLength());
		if (body == null) {
			return null;
		}
		return new Frame<>(envelope.requestId(), envelope.replyTo(), ControlCodec.readMessage(envelope), body);
	}

	/**
	 * Read up to the next newline into {@code line}, keeping at most the header limit and
	 * discarding the rest.
	 * @return the length of the whole line, or -1 at the end of the stream
	 */
	private long readLine(ByteArrayOutputStream line) throws IOException {
		long length = 0;
		while (true) {
			if (!this.input.hasRemaining() && !fill()) {
				return -1;
			}
			byte[] buffer = this.input.array();
			int start = this.input.position();
			int end = this.input.limit();
			int newline = start;
			while (newline < end && buffer[newline] != NEWLINE) {
				newline++;
			}
			int chunk = newline - start;
			if (length + chunk <= ControlProtocol.MAX_HEADER_BYTES) {
				line.write(buffer, start, chunk);
			}
			length += chunk;
			if (newline < end) {
				this.input.position(newline + 1);
				return length;
			}
			this.input.position(end);
		}
	}

	private byte @Nullable [] readBody(int length) throws IOException {
		if (length == 0) {
			return Frame.NO_BODY;
		}
		byte[] body = new byte[length];
		int read = 0;
		while (read < length) {
			if (!this.input.hasRemaining() && !fill()) {
				return null;
			}
			int chunk = Math.min(length - read, this.input.remaining());
			this.input.get(body, read, chunk);
			read += chunk;
		}
		return body;
	}

	private boolean skip(long length) throws IOException {
		long left = length;
		while (left > 0) {
			if (!this.input.hasRemaining() && !fill()) {
				return false;
			}
			int chunk = (int) Math.min(left, this.input.remaining());
			this.input.position(this.input.position() + chunk);
			left -= chunk;
		}
		return true;
	}

	private boolean fill() throws IOException {
		this.input.clear();
		int read = this.channel.read(this.input);
		while (read == 0) {
			Selector selector = this.readSelector;
			if (selector == null) {
				selector = open(SelectionKey.OP_READ);
				this.readSelector = selector;
			}
			await(selector);
			read = this.channel.read(this.input);
		}
		this.input.flip();
		return read > 0;
	}

	private Selector open(int operation) throws IOException {
		Selector selector = Selector.open();
		try {
			this.channel.register(selector, operation);
			return selector;
		}
		catch (IOException ex) {
			selector.close();
			throw ex;
		}
	}

	/**
	 * Wait until the non-blocking channel is ready for the selector's operation, or a
	 * while.
	 */
	private void await(Selector selector) throws IOException {
		if (!this.channel.isOpen()) {
			// Closed before the selector was there to be closed with it
			closeQuietly(selector);
			throw new AsynchronousCloseException();
		}
		try {
			selector.select(SELECT_TIMEOUT_MILLIS);
			selector.selectedKeys().clear();
		}
		catch (ClosedSelectorException ex) {
			throw new AsynchronousCloseException();
		}
	}

	/**
	 * Write a frame.
	 * @param requestId the request id, or 0
	 * @param replyTo the id of the request this answers, or 0
	 * @param message the message
	 * @param body the body
	 * @throws IOException on a write failure
	 * @throws IllegalArgumentException if the body is larger than the protocol allows
	 */
	void write(long requestId, long replyTo, ControlMessage message, byte[] body) throws IOException {
		write(encode(requestId, replyTo, message, body));
	}

	/**
	 * Write frames, in order, waiting while the socket takes no more.
	 * @param buffers the frames, as {@link #encode encoded}
	 * @throws IOException on a write failure
	 */
	void write(ByteBuffer... buffers) throws IOException {
		synchronized (this.writeLock) {
			while (!writeNow(buffers)) {
				Selector selector = this.writeSelector;
				if (selector == null) {
					selector = open(SelectionKey.OP_WRITE);
					this.writeSelector = selector;
				}
				await(selector);
			}
		}
	}

	/**
	 * Write as much of the frames as the socket takes without waiting (all of them on a
	 * blocking channel) in as few system calls as it can.
	 * @param buffers the frames, as {@link #encode encoded}; what was not written
	 * remains in them
	 * @return whether all of them were written
	 * @throws IOException on a write failure
	 */
	boolean writeNow(ByteBuffer... buffers) throws IOException {
		synchronized (this.writeLock) {
			int first = 0;
			while (first < buffers.length) {
				if (!buffers[first].hasRemaining()) {
					first++;
				}
				else if (this.channel.write(buffers, first, buffers.length - first) == 0) {
					return false;
				}
			}
			return true;
		}
	}

	/**
	 * Encode a frame for {@link #write(ByteBuffer...)}.
	 * @param requestId the request id, or 0
	 * @param replyTo the id of the request this answers, or 0
	 * @param message the message
	 * @param body the body
	 * @return the buffers of the frame, its header line and its body
	 * @throws IllegalArgumentException if the body is larger than the protocol allows
	 */
	static ByteBuffer[] encode(long requestId, long replyTo, ControlMessage message, byte[] body) {
		if (body.length > ControlProtocol.MAX_BODY_BYTES) {
			throw new IllegalArgumentException("A body of %d bytes exceeds the limit of %d bytes"
				.formatted(body.length, ControlProtocol.MAX_BODY_BYTES));
		}
		byte[] header = ControlCodec.writeHeader(requestId, replyTo, message, body.length);
		ByteBuffer line = ByteBuffer.allocate(header.length + 1).put(header).put(NEWLINE).flip();
		return new ByteBuffer[] { line, ByteBuffer.wrap(body) };
	}

	boolean isOpen() {
		return this.channel.isOpen();
	}

	/**
	 * Close the channel. A thread that waits to read or write wakes up and fails; closing
	 * the selectors also releases the socket, whose closing waits for them otherwise.
	 */
	@Override
	public void close() {
		closeQuietly(this.channel);
		closeQuietly(this.readSelector);
		closeQuietly(this.writeSelector);
	}

	private static void closeQuietly(@Nullable AutoCloseable closeable) {
		try {
			if (closeable != null) {
				closeable.close();
			}
		}
		catch (Exception ex) {
			// Closing anyway
		}
	}

}
