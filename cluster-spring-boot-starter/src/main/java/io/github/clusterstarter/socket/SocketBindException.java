package io.github.clusterstarter.socket;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the cluster's listening socket cannot be bound.
 */
public class SocketBindException extends RuntimeException {

	private final @Nullable String host;

	private final int port;

	private final int errno;

	private final Reason reason;

	SocketBindException(@Nullable String host, int port, int errno, Reason reason, String detail,
			@Nullable Throwable cause) {
		super("Could not bind %s:%d: %s".formatted((host != null) ? host : "*", port, detail), cause);
		this.host = host;
		this.port = port;
		this.errno = errno;
		this.reason = reason;
	}

	/**
	 * Return the host that was to be bound.
	 * @return the host, or {@code null} for all addresses
	 */
	public @Nullable String getHost() {
		return this.host;
	}

	/**
	 * Return the port that was to be bound.
	 * @return the port
	 */
	public int getPort() {
		return this.port;
	}

	/**
	 * Return the error number of the failed call, 0 if none was made.
	 * @return the errno
	 */
	public int getErrno() {
		return this.errno;
	}

	/**
	 * Return why binding failed.
	 * @return the reason
	 */
	public Reason getReason() {
		return this.reason;
	}

	/**
	 * Why binding failed.
	 */
	public enum Reason {

		/**
		 * Another socket listens on the port ({@code EADDRINUSE}).
		 */
		ADDRESS_IN_USE,

		/**
		 * The port needs privileges ({@code EACCES}).
		 */
		PERMISSION_DENIED,

		/**
		 * The address is not one of this host's ({@code EADDRNOTAVAIL}).
		 */
		ADDRESS_NOT_AVAILABLE,

		/**
		 * The host name does not resolve.
		 */
		UNKNOWN_HOST,

		/**
		 * Any other failure.
		 */
		OTHER;

		static Reason of(int errno) {
			return switch (errno) {
				case LibC.EADDRINUSE -> ADDRESS_IN_USE;
				case LibC.EACCES -> PERMISSION_DENIED;
				case LibC.EADDRNOTAVAIL -> ADDRESS_NOT_AVAILABLE;
				default -> OTHER;
			};
		}

	}

}
