package io.github.clusterstarter.master;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.ErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a command to the master (rolling restart, restart, scale).
 *
 * @param error why the command was refused, or {@code null} if it was accepted
 * @param detail what happens, or why not
 */
record CommandResult(@Nullable ErrorCode error, String detail) {

	boolean accepted() {
		return this.error == null;
	}

	/**
	 * Return the answer to the worker that asked.
	 * @return {@link ControlMessage.Accepted} or {@link ControlMessage.Failure}
	 */
	ControlMessage.MasterMessage answer() {
		return (this.error != null) ? new ControlMessage.Failure(this.error, this.detail)
				: new ControlMessage.Accepted(this.detail);
	}

	static CommandResult accepted(String detail) {
		return new CommandResult(null, detail);
	}

	static CommandResult conflict(String detail) {
		return new CommandResult(ErrorCode.CONFLICT, detail);
	}

	static CommandResult invalid(String detail) {
		return new CommandResult(ErrorCode.INVALID, detail);
	}

	static CommandResult notFound(String detail) {
		return new CommandResult(ErrorCode.NOT_FOUND, detail);
	}

}
