package io.github.clusterstarter.control;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why the master refused a request, for the requester to act on.
 */
public enum ErrorCode {

	/**
	 * The command conflicts with what the cluster is doing.
	 */
	@JsonProperty("conflict")
	CONFLICT,

	/**
	 * The command's arguments are invalid.
	 */
	@JsonProperty("invalid")
	INVALID,

	/**
	 * The command names a worker that does not exist.
	 */
	@JsonProperty("not-found")
	NOT_FOUND,

	/**
	 * The message could not be read: malformed, missing or mistyped fields, an unknown
	 * type or too large.
	 */
	@JsonProperty("bad-message")
	BAD_MESSAGE,

	/**
	 * The master failed while handling the message.
	 */
	@JsonProperty("internal")
	INTERNAL

}
