package io.github.clusterstarter.socket;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when {@link ListeningSocket#bind(String, int, int)} cannot create the listening
 * socket.
 */
public class SocketBindException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final @Nullable String host;

	private final int port;

	private final int errno;

	private final Reason reason;

	SocketBindException(@Nullable String host, int port, int errno, Reason reason, String message,
			@Nullable Throwable cause) {
		super(message, cause);
		this.host = host;
		this.port = port;
		this.errno = errno;
		this.reason = reason;
	}

	/**
	 * Return the host that was asked for.
	 * @return the host, or {@code null} if the socket was to listen on all addresses
	 */
	public @Nullable String getHost() {
		return this.host;
	}

	/**
	 * Return the port that was asked for.
	 * @return the port, {@code 0} meaning any free port
	 */
	public int getPort() {
		return this.port;
	}

	/**
	 * Return the {@code errno} of the system call that failed.
	 * @return the error number, or {@code 0} if no system call failed
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
	 * Why a socket could not be bound.
	 */
	public enum Reason {

		/**
		 * Another socket listens on the address and port ({@code EADDRINUSE}).
		 */
		ADDRESS_IN_USE,

		/**
		 * Binding needs privileges this process lacks, typically a port below 1024
		 * ({@code EACCES}).
		 */
		PERMISSION_DENIED,

		/**
		 * The address is not one of this host's ({@code EADDRNOTAVAIL}).
		 */
		ADDRESS_NOT_AVAILABLE,

		/**
		 * The host name does not resolve to an address.
		 */
		UNKNOWN_HOST,

		/**
		 * Any other failure.
		 */
		OTHER;

		static Reason forErrno(int errno) {
			return switch (errno) {
				case LibC.EADDRINUSE -> ADDRESS_IN_USE;
				case LibC.EACCES -> PERMISSION_DENIED;
				case LibC.EADDRNOTAVAIL -> ADDRESS_NOT_AVAILABLE;
				default -> OTHER;
			};
		}

	}

}
