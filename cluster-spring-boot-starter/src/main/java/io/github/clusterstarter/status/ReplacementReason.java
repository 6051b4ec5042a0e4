package io.github.clusterstarter.status;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why the master started a process again for a worker id.
 */
public enum ReplacementReason {

	/**
	 * The process exited unexpectedly.
	 */
	CRASH,

	/**
	 * The watchdog killed it after it stopped sending heartbeats.
	 */
	TIMEOUT,

	/**
	 * The previous process exited before it became ready.
	 */
	BOOT_FAILURE,

	/**
	 * The previous process was not ready within the ready timeout.
	 */
	READY_TIMEOUT,

	/**
	 * A rolling restart replaced it.
	 */
	ROLLOUT,

	/**
	 * It served its maximum requests or outgrew its maximum memory.
	 */
	RECYCLE,

	/**
	 * Scaling added or removed it.
	 */
	SCALE;

	/**
	 * Return the reason as the status and the metrics name it.
	 * @return the name, such as {@code boot-failure}
	 */
	@JsonValue
	public String value() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
