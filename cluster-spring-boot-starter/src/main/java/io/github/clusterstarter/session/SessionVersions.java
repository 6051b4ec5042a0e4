package io.github.clusterstarter.session;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A counter per slot of session ids, in a file that every worker maps into memory, raised
 * each time a session of the slot is written, touched or deleted. A worker that kept a
 * session it read reuses it as long as its slot's counter has not moved: one memory read
 * instead of reading the file, which a session that is read far more often than it is
 * changed (a login) gains most from.
 */
final class SessionVersions {

	static final int SLOTS = 1 << 16;

	static final String FILE_NAME = ".versions";

	private static final VarHandle COUNTERS = MethodHandles.byteBufferViewVarHandle(long[].class,
			ByteOrder.nativeOrder());

	private final MappedByteBuffer counters;

	private SessionVersions(MappedByteBuffer counters) {
		this.counters = counters;
	}

	/**
	 * Map the counters of a sessions directory, creating them if they do not exist yet.
	 * @param directory the sessions directory
	 * @return the counters
	 * @throws IOException if they cannot be created or mapped, or have the wrong size
	 */
	static SessionVersions open(Path directory) throws IOException {
		Path file = directory.resolve(FILE_NAME);
		long size = (long) SLOTS * Long.BYTES;
		if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
			// Appears whole or not at all: a worker must never map a file that is still growing
			Path temporary = Files.createTempFile(directory, FILE_NAME, null, SessionStore.OWNER_ONLY);
			try {
				try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
					channel.write(ByteBuffer.allocate(1), size - 1);
				}
				Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (FileAlreadyExistsException ex) {
				// Another worker was first
			}
			finally {
				Files.deleteIfExists(temporary);
			}
		}
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
				LinkOption.NOFOLLOW_LINKS)) {
			if (channel.size() != size) {
				throw new IOException("%s has %d bytes instead of %d; stop the cluster and delete it".formatted(file,
						channel.size(), size));
			}
			return new SessionVersions(channel.map(FileChannel.MapMode.READ_WRITE, 0, size));
		}
	}

	/**
	 * Return the version of a session's slot.
	 * @param id the session id
	 * @return the version
	 */
	long current(String id) {
		return (long) COUNTERS.getVolatile(this.counters, offset(id));
	}

	/**
	 * Raise the version of a session's slot, once the session was written or deleted,
	 * while its lock is held.
	 * @param id the session id
	 * @return the new version
	 */
	long raise(String id) {
		return (long) COUNTERS.getAndAdd(this.counters, offset(id), 1L) + 1;
	}

	private static int offset(String id) {
		// Not the lock stripe's hash: spread the slots independently of the stripes
		int hash = id.hashCode() * 0x9E3779B9;
		return (hash >>> 16) * Long.BYTES;
	}

}
