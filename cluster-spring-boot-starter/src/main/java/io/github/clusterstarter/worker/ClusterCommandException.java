package io.github.clusterstarter.worker;

/**
 * Thrown when the master refuses a command, such as a second rolling restart while one
 * is in progress.
 */
public class ClusterCommandException extends RuntimeException {

	/**
	 * The command conflicts with what the cluster is doing.
	 */
	public static final String CONFLICT = "conflict";

	/**
	 * The command's arguments are invalid.
	 */
	public static final String INVALID = "invalid";

	/**
	 * The command names a worker that does not exist.
	 */
	public static final String NOT_FOUND = "not-found";

	private final String code;

	/**
	 * Create a new exception.
	 * @param code why the command was refused
	 * @param reason the explanation
	 */
	public ClusterCommandException(String code, String reason) {
		super(reason);
		this.code = code;
	}

	/**
	 * Return why the master refused: {@link #CONFLICT}, {@link #INVALID} or
	 * {@link #NOT_FOUND}.
	 * @return the code
	 */
	public String getCode() {
		return this.code;
	}

}
