package io.github.clusterstarter.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The files of the sessions of a directory, each kept open once used, so that reading or
 * writing a session is one positional read or write instead of opening, sizing and
 * closing its file every time. A file whose session is deleted is emptied before it is
 * unlinked: a worker that still holds it open reads nothing, which is no session, rather
 * than the content of a file that is gone.
 */
final class SessionFiles implements AutoCloseable {

	// Far fewer than the file descriptors a JVM may open, enough for the sessions in use
	private static final int OPEN_LIMIT = 512;

	private static final int MIN_READ_SIZE = 4096;

	private static final Set<OpenOption> OPEN_OPTIONS = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
			LinkOption.NOFOLLOW_LINKS);

	private static final Set<OpenOption> CREATE_OPTIONS = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
			StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS);

	private final Path directory;

	private final Map<String, FileChannel> open = new ConcurrentHashMap<>();

	SessionFiles(Path directory) {
		this.directory = directory;
	}

	/**
	 * Read a session's file whole.
	 * @param id the session's id
	 * @param sizeHint the size it had when last seen, or zero
	 * @return its content, empty if its session was deleted, or {@code null} if there is
	 * no such file
	 * @throws IOException if it cannot be read
	 */
	byte @Nullable [] read(String id, int sizeHint) throws IOException {
		try {
			return use(id, false, (channel) -> readWhole(channel, sizeHint));
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	private static byte[] readWhole(FileChannel channel, int sizeHint) throws IOException {
		// A buffer larger than the file gets all of it in one read: no need to ask for its size
		byte[] buffer = new byte[Math.max(MIN_READ_SIZE, sizeHint * 2)];
		for (;;) {
			int length = Math.max(channel.read(ByteBuffer.wrap(buffer), 0), 0);
			if (length < buffer.length) {
				// The end of the file: a regular file returns less than asked for nowhere else,
				// and a content read short would fail its checksum and be read again
				return Arrays.copyOf(buffer, length);
			}
			buffer = new byte[buffer.length * 2];
		}
	}

	/**
	 * Write a session's file whole, in place, creating it if needed.
	 * @param id the session's id
	 * @param content the content
	 * @param previousSize the size of the content it replaces, zero if none: a longer file
	 * is cut to the new size
	 * @throws IOException if it cannot be written
	 */
	void write(String id, byte[] content, long previousSize) throws IOException {
		use(id, true, (channel) -> {
			writeAt(channel, content, 0);
			if (previousSize > content.length) {
				channel.truncate(content.length);
			}
			return null;
		});
	}

	/**
	 * Overwrite part of a session's existing file.
	 * @param id the session's id
	 * @param bytes the bytes to write
	 * @param position where
	 * @throws IOException if it cannot be written, {@link NoSuchFileException} if there is
	 * no such file
	 */
	void overwrite(String id, byte[] bytes, long position) throws IOException {
		use(id, false, (channel) -> {
			writeAt(channel, bytes, position);
			return null;
		});
	}

	private static void writeAt(FileChannel channel, byte[] bytes, long position) throws IOException {
		ByteBuffer source = ByteBuffer.wrap(bytes);
		while (source.hasRemaining()) {
			channel.write(source, position + source.position());
		}
	}

	/**
	 * Delete a session's file: first emptied, for the workers that hold it open.
	 * @param id the session's id
	 * @throws IOException if it cannot be deleted
	 */
	void delete(String id) throws IOException {
		try {
			use(id, false, (channel) -> channel.truncate(0));
		}
		catch (NoSuchFileException ex) {
			return;
		}
		finally {
			forget(id);
		}
		Files.deleteIfExists(this.directory.resolve(id));
	}

	/**
	 * Close a session's file if it is open, once its session is known to be gone.
	 * @param id the session's id
	 * @throws IOException if it cannot be closed
	 */
	void forget(String id) throws IOException {
		FileChannel channel = this.open.remove(id);
		if (channel != null) {
			channel.close();
		}
	}

	private <T> T use(String id, boolean create, FileOperation<T> operation) throws IOException {
		for (;;) {
			FileChannel channel = channel(id, create);
			try {
				return operation.apply(channel);
			}
			catch (ClosedByInterruptException ex) {
				this.open.remove(id, channel);
				throw ex;
			}
			catch (ClosedChannelException ex) {
				// Closed by another thread that needed room for another file: open it again
				this.open.remove(id, channel);
			}
		}
	}

	private FileChannel channel(String id, boolean create) throws IOException {
		FileChannel channel = this.open.get(id);
		if (channel != null) {
			return channel;
		}
		makeRoom();
		channel = FileChannel.open(this.directory.resolve(id), create ? CREATE_OPTIONS : OPEN_OPTIONS,
				SessionStore.OWNER_ONLY);
		FileChannel raced = this.open.putIfAbsent(id, channel);
		if (raced != null) {
			channel.close();
			return raced;
		}
		return channel;
	}

	private void makeRoom() throws IOException {
		Iterator<FileChannel> channels = this.open.values().iterator();
		while (this.open.size() >= OPEN_LIMIT && channels.hasNext()) {
			FileChannel channel = channels.next();
			channels.remove();
			channel.close();
		}
	}

	@Override
	public void close() throws IOException {
		for (String id : this.open.keySet()) {
			forget(id);
		}
	}

	/**
	 * Something done with a session's open file.
	 *
	 * @param <T> the result type
	 */
	@FunctionalInterface
	private interface FileOperation<T> {

		T apply(FileChannel channel) throws IOException;

	}

}
