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
 * that only those a request reads are deserialized. The time it was last accessed is a
 * record of its own near the start of the file, with its own checksum, so that a request
 * that changes nothing only overwrites those few bytes. A checksum at the end, over the
 * rest, tells a reader that caught a file while it was rewritten in place to read it
 * again.
 *
 * @param creationTime when the session was created
 * @param lastAccessedTime when a request last used it
 * @param maxInactiveInterval how long it lives unused; zero or negative for ever
 * @param attributes the serialized attributes by name
 */
record StoredSession(Instant creationTime, Instant lastAccessedTime, Duration maxInactiveInterval,
		Map<String, byte[]> attributes) {

	// "CLS2": files of the first format kept the last access time in their modification time
	private static final int MAGIC = 0x434c5332;

	/**
	 * Where the record of the last access time starts in a session file.
	 */
	static final int ACCESS_RECORD_OFFSET = 4;

	private static final int ACCESS_RECORD_LENGTH = 12;

	private static final int BODY_OFFSET = ACCESS_RECORD_OFFSET + ACCESS_RECORD_LENGTH;

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
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeInt(MAGIC);
			out.write(accessRecord(this.lastAccessedTime));
			out.writeLong(this.creationTime.toEpochMilli());
			out.writeLong(this.maxInactiveInterval.toSeconds());
			out.writeInt(this.attributes.size());
			for (Map.Entry<String, byte[]> attribute : this.attributes.entrySet()) {
				out.writeUTF(attribute.getKey());
				out.writeInt(attribute.getValue().length);
				out.write(attribute.getValue());
			}
			// The checksum, written below once the rest is known
			out.writeInt(0);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Writing to memory failed", ex);
		}
		byte[] content = bytes.toByteArray();
		ByteBuffer.wrap(content).putInt(content.length - 4, bodyChecksum(content));
		return content;
	}

	/**
	 * Return the record of a last access time, as it is stored at
	 * {@link #ACCESS_RECORD_OFFSET} of a session file.
	 * @param lastAccessedTime the time
	 * @return the bytes of the record
	 */
	static byte[] accessRecord(Instant lastAccessedTime) {
		ByteBuffer record = ByteBuffer.allocate(ACCESS_RECORD_LENGTH);
		record.putLong(lastAccessedTime.toEpochMilli());
		CRC32 checksum = new CRC32();
		checksum.update(record.array(), 0, Long.BYTES);
		record.putInt((int) checksum.getValue());
		return record.array();
	}

	/**
	 * Read a session file.
	 * @param content the file's content
	 * @return the session
	 * @throws TornSessionFileException if the content does not match its checksums
	 * @throws IOException if the content is not a session file of this format
	 */
	static StoredSession decode(byte[] content) throws IOException {
		if (content.length < BODY_OFFSET + 4) {
			throw new TornSessionFileException();
		}
		ByteBuffer buffer = ByteBuffer.wrap(content);
		CRC32 accessChecksum = new CRC32();
		accessChecksum.update(content, ACCESS_RECORD_OFFSET, Long.BYTES);
		if (bodyChecksum(content) != buffer.getInt(content.length - 4)
				|| (int) accessChecksum.getValue() != buffer.getInt(ACCESS_RECORD_OFFSET + Long.BYTES)) {
			throw new TornSessionFileException();
		}
		if (buffer.getInt(0) != MAGIC) {
			throw new IOException("not a session file of this version");
		}
		Instant lastAccessedTime = Instant.ofEpochMilli(buffer.getLong(ACCESS_RECORD_OFFSET));
		DataInputStream in = new DataInputStream(
				new ByteArrayInputStream(content, BODY_OFFSET, content.length - BODY_OFFSET - 4));
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

	// Over everything but the access record, which is rewritten on its own
	private static int bodyChecksum(byte[] content) {
		CRC32 checksum = new CRC32();
		checksum.update(content, 0, ACCESS_RECORD_OFFSET);
		checksum.update(content, BODY_OFFSET, content.length - BODY_OFFSET - 4);
		return (int) checksum.getValue();
	}

	/**
	 * Thrown when a session file does not match its checksum: it is being rewritten, or
	 * it is damaged.
	 */
	static final class TornSessionFileException extends IOException {

		TornSessionFileException() {
			super("the content does not match its checksums");
		}

	}

}
