package io.github.clusterstarter.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.session.SessionIdGenerator;
import org.springframework.session.SessionRepository;
import org.springframework.session.UuidSessionIdGenerator;
import org.springframework.session.events.SessionCreatedEvent;
import org.springframework.session.events.SessionDeletedEvent;
import org.springframework.session.events.SessionExpiredEvent;

/**
 * The {@link SessionRepository} of a cluster's workers: every worker reads and writes the
 * same session files, so that a request sees its session whichever worker the kernel
 * hands the connection to, and sessions outlive any worker. Publishes Spring Session's
 * events (and so calls the application's {@code HttpSessionListener}s) once in the
 * cluster: where a session is created, invalidated, or found expired.
 */
public class ClusterSessionRepository implements SessionRepository<ClusterSession>, AutoCloseable {

	// A request that changes nothing touches the file at most this often
	private static final Duration TOUCH_GRANULARITY = Duration.ofSeconds(1);

	private final SessionStore store;

	private final SessionAttributeSerializer serializer;

	private final ApplicationEventPublisher events;

	private final Duration defaultMaxInactiveInterval;

	private final Clock clock;

	private final SessionIdGenerator idGenerator = UuidSessionIdGenerator.getInstance();

	/**
	 * Create a repository of the sessions in a directory.
	 * @param directory the directory, which only this user can write to
	 * @param classLoader the application's class loader
	 * @param events where to publish session events
	 * @param defaultMaxInactiveInterval how long a new session lives unused
	 * @return the repository
	 * @throws UncheckedIOException if the directory cannot be used
	 */
	public static ClusterSessionRepository open(Path directory, ClassLoader classLoader,
			ApplicationEventPublisher events, Duration defaultMaxInactiveInterval) {
		try {
			return new ClusterSessionRepository(new SessionStore(directory), classLoader, events,
					defaultMaxInactiveInterval, Clock.systemUTC());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot use the sessions directory " + directory, ex);
		}
	}

	ClusterSessionRepository(SessionStore store, ClassLoader classLoader, ApplicationEventPublisher events,
			Duration defaultMaxInactiveInterval, Clock clock) {
		this.store = store;
		this.serializer = new SessionAttributeSerializer(classLoader);
		this.events = events;
		this.defaultMaxInactiveInterval = defaultMaxInactiveInterval;
		this.clock = clock;
	}

	@Override
	public ClusterSession createSession() {
		return ClusterSession.create(this.serializer, this.idGenerator, this.defaultMaxInactiveInterval,
				this.clock.instant());
	}

	@Override
	public void save(ClusterSession session) {
		SessionChanges changes = session.changes();
		if (changes.changesContent()) {
			StoredSession stored = update(changes);
			if (stored == null) {
				// Invalidated elsewhere while this request used it: stays invalidated
				return;
			}
			session.saved(changes);
			if (changes.created()) {
				this.events.publishEvent(new SessionCreatedEvent(this, session));
			}
		}
		else if (!changes.lastAccessedTime().isBefore(session.storedLastAccessedTime().plus(TOUCH_GRANULARITY))) {
			this.store.touch(session.getId(), changes.lastAccessedTime());
			session.saved(changes);
		}
	}

	private @Nullable StoredSession update(SessionChanges changes) {
		try {
			return this.store.update(changes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot store session %s in %s".formatted(changes.id(),
					this.store.directory()), ex);
		}
	}

	@Override
	public @Nullable ClusterSession findById(String id) {
		StoredSession stored = this.store.load(id);
		if (stored == null) {
			return null;
		}
		Instant now = this.clock.instant();
		if (stored.isExpired(now)) {
			expire(id, now);
			return null;
		}
		return ClusterSession.of(this.serializer, this.idGenerator, id, stored);
	}

	@Override
	public void deleteById(String id) {
		try {
			StoredSession deleted = this.store.delete(id);
			if (deleted != null) {
				this.events.publishEvent(new SessionDeletedEvent(this, ClusterSession.of(this.serializer,
						this.idGenerator, id, deleted)));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete session %s in %s".formatted(id, this.store.directory()),
					ex);
		}
	}

	SessionStore store() {
		return this.store;
	}

	@Override
	public void close() throws IOException {
		this.store.close();
	}

	/**
	 * Delete a session if it has expired, and tell the application, unless another worker
	 * did so first.
	 * @param id the session's id
	 * @param now the time
	 * @throws UncheckedIOException if its file cannot be deleted
	 */
	void expire(String id, Instant now) {
		try {
			StoredSession expired = this.store.deleteIfExpired(id, now);
			if (expired != null) {
				this.events.publishEvent(new SessionExpiredEvent(this, ClusterSession.of(this.serializer,
						this.idGenerator, id, expired)));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete expired session %s in %s".formatted(id,
					this.store.directory()), ex);
		}
	}

}
