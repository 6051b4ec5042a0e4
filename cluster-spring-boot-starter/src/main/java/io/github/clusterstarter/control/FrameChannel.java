package io.github.clusterstarter.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import org.jspecify.annotations.Nullable;

/**
 * Frames over a blocking socket channel (see {@link ControlProtocol} for the format).
 * Reads and writes go to the channel directly: the JDK's channel streams would serialize
 * a write behind a blocked read.
 */
final class FrameChannel implements AutoCloseable {

	private static final byte NEWLINE = '\n';

	private final SocketChannel channel;

	private final ByteBuffer input = ByteBuffer.allocate(64 * 1024).flip();

	private final Object writeLock = new Object();

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
		this.input.flip();
		return read >= 0;
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
		if (body.length > ControlProtocol.MAX_BODY_BYTES) {
			throw new IllegalArgumentException("A body of %d bytes exceeds the limit of %d bytes"
				.formatted(body.length, ControlProtocol.MAX_BODY_BYTES));
		}
		byte[] header = ControlCodec.writeHeader(requestId, replyTo, message, body.length);
		ByteBuffer line = ByteBuffer.allocate(header.length + 1).put(header).put(NEWLINE).flip();
		ByteBuffer[] frame = { line, ByteBuffer.wrap(body) };
		synchronized (this.writeLock) {
			while (frame[0].hasRemaining() || frame[1].hasRemaining()) {
				this.channel.write(frame);
			}
		}
	}

	boolean isOpen() {
		return this.channel.isOpen();
	}

	@Override
	public void close() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// Closing anyway
		}
	}

}
