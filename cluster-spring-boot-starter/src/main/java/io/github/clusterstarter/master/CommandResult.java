package io.github.clusterstarter.master;

/**
 * The outcome of a command to the master (rolling restart, restart, scale), with an
 * error code the actuator endpoint turns into an HTTP status.
 *
 * @param code {@code accepted}, or an error code: {@code conflict}, {@code invalid} or
 * {@code not-found}
 * @param detail what happened or why not
 */
record CommandResult(String code, String detail) {

	static final String ACCEPTED = "accepted";

	static final String CONFLICT = "conflict";

	static final String INVALID = "invalid";

	static final String NOT_FOUND = "not-found";

	boolean accepted() {
		return ACCEPTED.equals(this.code);
	}

	static CommandResult accepted(String detail) {
		return new CommandResult(ACCEPTED, detail);
	}

	static CommandResult conflict(String detail) {
		return new CommandResult(CONFLICT, detail);
	}

	static CommandResult invalid(String detail) {
		return new CommandResult(INVALID, detail);
	}

	static CommandResult notFound(String detail) {
		return new CommandResult(NOT_FOUND, detail);
	}

}
