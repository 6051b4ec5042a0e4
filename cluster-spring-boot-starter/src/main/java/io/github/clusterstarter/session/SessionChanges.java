package io.github.clusterstarter.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What one request changed in a session, merged into its file under the session's lock
 * so that two workers changing different attributes of one session at the same time both
 * keep their change.
 *
 * @param originalId the id the session had when the request found it
 * @param id the id it has now (different after a session id change)
 * @param created whether the request created the session
 * @param creationTime when the session was created
 * @param lastAccessedTime when the request used it
 * @param maxInactiveInterval the new timeout, or {@code null} if unchanged
 * @param setAttributes the attributes set or changed, serialized
 * @param removedAttributes the attributes removed
 */
record SessionChanges(String originalId, String id, boolean created, Instant creationTime, Instant lastAccessedTime,
		@Nullable Duration maxInactiveInterval, Map<String, byte[]> setAttributes, Set<String> removedAttributes) {

	boolean changesContent() {
		return this.created || !this.originalId.equals(this.id) || this.maxInactiveInterval != null
				|| !this.setAttributes.isEmpty() || !this.removedAttributes.isEmpty();
	}

}
