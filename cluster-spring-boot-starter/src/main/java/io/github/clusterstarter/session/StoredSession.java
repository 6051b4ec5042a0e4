package io.github.clusterstarter.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A session as it is kept in its file: the attributes stay in their serialized form, so
 * that only those a request reads are deserialized. The time it was last accessed is the
 * file's modification time, so that a request that changes nothing only touches the
 * file. A checksum at the end tells a reader that caught a file while it was rewritten
 * in place to read it again.
 *
 * @param creationTime when the session was created
 * @param lastAccessedTime when a request last used it
 * @param maxInactiveInterval how long it lives unused; zero or negative for ever
 * @param attributes the serialized attributes by name
 */
record StoredSession(Instant creationTime, Instant lastAccessedTime, Duration maxInactiveInterval,
		Map<String, byte[]> attributes) {

	private static final int MAGIC = 0x434c5331;

	StoredSession {
		attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
	}

	boolean isExpired(Instant now) {
		return isExpired(this.lastAccessedTime, this.maxInactiveInterval, now);
	}

	static boolean isExpired(Instant lastAccessedTime, Duration maxInactiveInterval, Instant now) {
		return !maxInactiveInterval.isNegative() && !maxInactiveInterval.isZero()
				&& now.isAfter(lastAccessedTime.plus(maxInactiveInterval));
	}

	StoredSession withLastAccessedTime(Instant lastAccessedTime) {
		return new StoredSession(this.creationTime, lastAccessedTime, this.maxInactiveInterval, this.attributes);
	}

	byte[] encode() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeInt(MAGIC);
			out.writeLong(this.creationTime.toEpochMilli());
			out.writeLong(this.maxInactiveInterval.toSeconds());
			out.writeInt(this.attributes.size());
			for (Map.Entry<String, byte[]> attribute : this.attributes.entrySet()) {
				out.writeUTF(attribute.getKey());
				out.writeInt(attribute.getValue().length);
				out.write(attribute.getValue());
			}
			CRC32 checksum = new CRC32();
			checksum.update(bytes.toByteArray());
			out.writeInt((int) checksum.getValue());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Writing to memory failed", ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Read a session file.
	 * @param content the file's content
	 * @param lastAccessedTime the file's modification time
	 * @return the session
	 * @throws TornSessionFileException if the content does not match its checksum
	 * @throws IOException if the content is not a session file of this format
	 */
	static StoredSession decode(byte[] content, Instant lastAccessedTime) throws IOException {
		if (content.length < 4) {
			throw new TornSessionFileException();
		}
		CRC32 checksum = new CRC32();
		checksum.update(content, 0, content.length - 4);
		if ((int) checksum.getValue() != ByteBuffer.wrap(content, content.length - 4, 4).getInt()) {
			throw new TornSessionFileException();
		}
		DataInputStream in = new DataInputStream(new ByteArrayInputStream(content, 0, content.length - 4));
		if (in.readInt() != MAGIC) {
			throw new IOException("not a session file of this version");
		}
		Instant creationTime = Instant.ofEpochMilli(in.readLong());
		Duration maxInactiveInterval = Duration.ofSeconds(in.readLong());
		int count = in.readInt();
		if (count < 0 || count > content.length) {
			throw new IOException("invalid attribute count " + count);
		}
		Map<String, byte[]> attributes = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			String name = in.readUTF();
			int length = in.readInt();
			if (length < 0 || length > in.available()) {
				throw new IOException("invalid length %d of attribute '%s'".formatted(length, name));
			}
			attributes.put(name, in.readNBytes(length));
		}
		if (in.available() != 0) {
			throw new IOException("trailing bytes");
		}
		return new StoredSession(creationTime, lastAccessedTime, maxInactiveInterval, attributes);
	}

	/**
	 * Thrown when a session file does not match its checksum: it is being rewritten, or
	 * it is damaged.
	 */
	static final class TornSessionFileException extends IOException {

		TornSessionFileException() {
			super("the content does not match its checksum");
		}

	}

}
