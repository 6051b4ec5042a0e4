package io.github.clusterstarter.control;

/**
 * Versions and limits of the control protocol.
 * <p>
 * A frame is a header, one line of JSON ({@code requestId}, {@code replyTo},
 * {@code bodyLength} and the {@link ControlMessage}), followed by {@code bodyLength}
 * bytes of body. Headers are small and bounded; bodies carry application data (broadcast
 * payloads, metrics) up to {@link #MAX_BODY_BYTES}. A frame that breaks a limit or cannot
 * be read is skipped whole, so the connection stays in step and stays open.
 */
public final class ControlProtocol {

	/**
	 * The newest protocol version this starter speaks. Version 1 was line-delimited JSON
	 * without bodies.
	 */
	public static final int VERSION = 2;

	/**
	 * The oldest protocol version this starter speaks.
	 */
	public static final int MIN_VERSION = 2;

	/**
	 * The largest header line, in bytes.
	 */
	public static final int MAX_HEADER_BYTES = 1024 * 1024;

	/**
	 * The largest body, in bytes: the largest message a worker can broadcast and the
	 * largest metrics text one worker can contribute to a cluster-wide scrape.
	 */
	public static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

	private ControlProtocol() {
	}

	/**
	 * Choose the version two sides speak.
	 * @param newest the newest version the other side speaks
	 * @param oldest the oldest version the other side speaks
	 * @return the newest version both speak, or -1 if there is none
	 */
	static int negotiate(int newest, int oldest) {
		int version = Math.min(VERSION, newest);
		return (version >= Math.max(MIN_VERSION, oldest)) ? version : -1;
	}

	/**
	 * Describe why two sides cannot talk.
	 * @param newest the newest version the other side speaks
	 * @param oldest the oldest version the other side speaks
	 * @return the explanation
	 */
	static String mismatch(int newest, int oldest) {
		return ("the worker speaks control protocol versions %d to %d and the master %d to %d: the master and its "
				+ "workers run different versions of cluster-spring-boot-starter; restart the whole cluster "
				+ "(not only its workers) to run the new version").formatted(oldest, newest, MIN_VERSION, VERSION);
	}

}
