package io.github.clusterstarter.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Messages as lines over a blocking socket channel. Reads and writes go to the channel
 * directly: the JDK's channel streams would serialize a write behind a blocked read.
 */
final class LineChannel implements AutoCloseable {

	private static final int MAX_BYTES = Message.MAX_LENGTH * 4;

	private final SocketChannel channel;

	private final ByteBuffer input = ByteBuffer.allocate(8192).flip();

	private final Object writeLock = new Object();

	LineChannel(SocketChannel channel) {
		this.channel = channel;
	}

	/**
	 * Read the next message.
	 * @return the message, or {@code null} at the end of the stream
	 * @throws IOException on a read failure
	 * @throws MalformedMessageException if the line is too long or not a message
	 */
	@Nullable Message read() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		while (true) {
			if (!this.input.hasRemaining()) {
				this.input.clear();
				int read = this.channel.read(this.input);
				this.input.flip();
				if (read < 0) {
					return null;
				}
			}
			while (this.input.hasRemaining()) {
				byte b = this.input.get();
				if (b == '\n') {
					return Message.fromJson(line.toString(StandardCharsets.UTF_8));
				}
				line.write(b);
				if (line.size() > MAX_BYTES) {
					throw new MalformedMessageException("Line longer than " + Message.MAX_LENGTH + " characters");
				}
			}
		}
	}

	/**
	 * Write a message as one line.
	 * @param message the message
	 * @throws IOException on a write failure
	 */
	void write(Message message) throws IOException {
		ByteBuffer output = ByteBuffer.wrap((message.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
		synchronized (this.writeLock) {
			while (output.hasRemaining()) {
				this.channel.write(output);
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
