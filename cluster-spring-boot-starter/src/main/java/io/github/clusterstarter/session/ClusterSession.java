package io.github.clusterstarter.session;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.session.Session;
import org.springframework.session.SessionIdGenerator;

/**
 * A session of the cluster as one request sees it. Attributes are deserialized when the
 * request reads them; an attribute that is not {@link Serializable} fails where the
 * application sets it. Every attribute the request read or set is serialized when the
 * session is saved and stored if its bytes changed: an object changed in place after
 * {@code getAttribute} or {@code setAttribute} is kept, as on one JVM.
 */
public final class ClusterSession implements Session {

	private static final Log logger = LogFactory.getLog(ClusterSession.class);

	private final SessionAttributeSerializer serializer;

	private final SessionIdGenerator idGenerator;

	private String originalId;

	private String id;

	private boolean created;

	private final Instant creationTime;

	private Instant lastAccessedTime;

	private Instant storedLastAccessedTime;

	private Duration maxInactiveInterval;

	private boolean maxInactiveIntervalChanged;

	private final Map<String, byte[]> stored;

	// Attributes the request read or set, by name
	private final Map<String, Object> used = new HashMap<>();

	private final Set<String> removed = new HashSet<>();

	private ClusterSession(SessionAttributeSerializer serializer, SessionIdGenerator idGenerator, String id,
			boolean created, StoredSession stored) {
		this.serializer = serializer;
		this.idGenerator = idGenerator;
		this.originalId = id;
		this.id = id;
		this.created = created;
		this.creationTime = stored.creationTime();
		this.lastAccessedTime = stored.lastAccessedTime();
		this.storedLastAccessedTime = stored.lastAccessedTime();
		this.maxInactiveInterval = stored.maxInactiveInterval();
		this.maxInactiveIntervalChanged = created;
		this.stored = new LinkedHashMap<>(stored.attributes());
	}

	static ClusterSession create(SessionAttributeSerializer serializer, SessionIdGenerator idGenerator,
			Duration maxInactiveInterval, Instant now) {
		return new ClusterSession(serializer, idGenerator, idGenerator.generate(), true,
				new StoredSession(now, now, maxInactiveInterval, Map.of()));
	}

	static ClusterSession of(SessionAttributeSerializer serializer, SessionIdGenerator idGenerator, String id,
			StoredSession stored) {
		return new ClusterSession(serializer, idGenerator, id, false, stored);
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public String changeSessionId() {
		this.id = this.idGenerator.generate();
		return this.id;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T getAttribute(String attributeName) {
		Object value = this.used.get(attributeName);
		if (value != null || this.removed.contains(attributeName)) {
			return (T) value;
		}
		byte[] bytes = this.stored.get(attributeName);
		if (bytes == null) {
			return null;
		}
		try {
			value = this.serializer.deserialize(bytes);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn(("Dropping attribute '%s' of a session, which cannot be deserialized (was its class changed "
					+ "incompatibly since it was stored?): %s").formatted(attributeName, ex));
			removeAttribute(attributeName);
			return null;
		}
		this.used.put(attributeName, value);
		return (T) value;
	}

	@Override
	public Set<String> getAttributeNames() {
		Set<String> names = new LinkedHashSet<>(this.stored.keySet());
		names.addAll(this.used.keySet());
		names.removeAll(this.removed);
		return names;
	}

	@Override
	public void setAttribute(String attributeName, @Nullable Object attributeValue) {
		if (attributeValue == null) {
			removeAttribute(attributeName);
			return;
		}
		if (!(attributeValue instanceof Serializable)) {
			// Fails in the application's code rather than when the session is saved
			throw new SessionAttributeNotSerializableException(attributeName, attributeValue,
					attributeValue.getClass().getName(), null);
		}
		this.used.put(attributeName, attributeValue);
		this.removed.remove(attributeName);
	}

	@Override
	public void removeAttribute(String attributeName) {
		this.used.remove(attributeName);
		this.removed.add(attributeName);
	}

	@Override
	public Instant getCreationTime() {
		return this.creationTime;
	}

	@Override
	public void setLastAccessedTime(Instant lastAccessedTime) {
		this.lastAccessedTime = lastAccessedTime;
	}

	@Override
	public Instant getLastAccessedTime() {
		return this.lastAccessedTime;
	}

	@Override
	public void setMaxInactiveInterval(Duration interval) {
		this.maxInactiveInterval = interval;
		this.maxInactiveIntervalChanged = true;
	}

	@Override
	public Duration getMaxInactiveInterval() {
		return this.maxInactiveInterval;
	}

	@Override
	public boolean isExpired() {
		return StoredSession.isExpired(this.lastAccessedTime, this.maxInactiveInterval, Instant.now());
	}

	boolean isCreated() {
		return this.created;
	}

	Instant storedLastAccessedTime() {
		return this.storedLastAccessedTime;
	}

	/**
	 * Return what the request changed.
	 * @return the changes
	 * @throws SessionAttributeNotSerializableException if an attribute can no longer be
	 * serialized
	 */
	SessionChanges changes() {
		Map<String, byte[]> set = new LinkedHashMap<>();
		this.used.forEach((name, value) -> {
			byte[] bytes = this.serializer.serialize(name, value);
			if (!Arrays.equals(bytes, this.stored.get(name))) {
				set.put(name, bytes);
			}
		});
		Set<String> removed = new HashSet<>(this.removed);
		removed.retainAll(this.stored.keySet());
		return new SessionChanges(this.originalId, this.id, this.created, this.creationTime, this.lastAccessedTime,
				this.maxInactiveIntervalChanged ? this.maxInactiveInterval : null, set, removed);
	}

	/**
	 * Start over from what was just saved: a request may save its session more than once.
	 * @param changes the changes that were saved
	 */
	void saved(SessionChanges changes) {
		this.stored.putAll(changes.setAttributes());
		changes.removedAttributes().forEach(this.stored::remove);
		this.removed.clear();
		this.originalId = this.id;
		this.created = false;
		this.maxInactiveIntervalChanged = false;
		this.storedLastAccessedTime = this.lastAccessedTime;
	}

}
