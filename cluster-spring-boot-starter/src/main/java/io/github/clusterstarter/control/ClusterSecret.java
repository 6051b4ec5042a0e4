package io.github.clusterstarter.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * The secret a worker presents to its master. Connecting to the control socket already
 * needs access to a directory only the owner can open; the secret also keeps out a
 * process of the same user that merely finds the socket.
 */
public final class ClusterSecret {

	private static final SecureRandom random = new SecureRandom();

	private final String value;

	private ClusterSecret(String value) {
		this.value = value;
	}

	/**
	 * Generate a new random secret.
	 * @return the secret
	 */
	public static ClusterSecret generate() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return new ClusterSecret(HexFormat.of().formatHex(bytes));
	}

	/**
	 * Return the secret with the given value.
	 * @param hex the value, in hexadecimal
	 * @return the secret
	 * @throws IllegalArgumentException if the value is not hexadecimal
	 */
	public static ClusterSecret of(String hex) {
		HexFormat.of().parseHex(hex);
		return new ClusterSecret(hex);
	}

	/**
	 * Return the value, for handing over to a worker.
	 * @return the value
	 */
	public String value() {
		return this.value;
	}

	/**
	 * Compare in constant time.
	 * @param candidate the value presented
	 * @return whether it is this secret
	 */
	public boolean matches(@Nullable String candidate) {
		return candidate != null && MessageDigest.isEqual(this.value.getBytes(StandardCharsets.US_ASCII),
				candidate.getBytes(StandardCharsets.US_ASCII));
	}

	@Override
	public String toString() {
		return "ClusterSecret[****]";
	}

}
