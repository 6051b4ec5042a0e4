package io.github.clusterstarter.master;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Names the archive of a jar: a hash of the jar's content, its file name and the JVM.
 * Not its modification time, which build tools such as Jib and buildpacks set to the same
 * fixed value for every build. The content is hashed again only when the file's inode,
 * size, modification or change time differ from the last time (a write to the file always
 * updates its change time, which no tool can set).
 */
final class ArchiveKey {

	private final Path jar;

	private @Nullable Object stamp;

	private @Nullable String key;

	ArchiveKey(Path jar) {
		this.jar = jar;
	}

	/**
	 * Return the key for the jar as it is now.
	 * @return the key, or {@code null} if the jar cannot be read
	 */
	synchronized @Nullable String get() {
		try {
			Map<String, Object> stamp = Files.readAttributes(this.jar, "unix:dev,ino,size,lastModifiedTime,ctime");
			if (!stamp.equals(this.stamp)) {
				this.key = compute();
				this.stamp = stamp;
			}
			return this.key;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private String compute() throws IOException {
		MessageDigest digest = sha256();
		try (InputStream in = new DigestInputStream(Files.newInputStream(this.jar), digest)) {
			in.transferTo(OutputStream.nullOutputStream());
		}
		String identity = HexFormat.of().formatHex(digest.digest()) + "\0" + this.jar.getFileName() + "\0"
				+ System.getProperty("java.home") + "\0" + System.getProperty("java.vm.version");
		return HexFormat.of().formatHex(sha256().digest(identity.getBytes(StandardCharsets.UTF_8)), 0, 16);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
