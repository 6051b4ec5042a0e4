package io.github.clusterstarter.session;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The sessions of a cluster, one file each in a directory that only the cluster's user
 * can write to, shared by every worker. Changes, and records of an access, are made under
 * the session's lock; reading a session takes no lock, and a reader that catches a file
 * while it is rewritten reads it again.
 */
final class SessionStore implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(SessionStore.class);

	// What Spring Session's generators make (UUIDs), and nothing that could leave the directory
	private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

	private static final int READ_ATTEMPTS = 5;

	private static final int CACHE_LIMIT = 10_000;

	static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

	private final Path directory;

	private final SessionLocks locks;

	private final SessionVersions versions;

	private final SessionFiles files;

	// Sessions as last read or written here, valid while their slot's version is unchanged
	private final Map<String, Cached> cache = new ConcurrentHashMap<>();

	SessionStore(Path directory) throws IOException {
		this.directory = directory;
		this.locks = new SessionLocks(directory.resolve(".lock"));
		this.versions = SessionVersions.open(directory);
		this.files = new SessionFiles(directory);
	}

	Path directory() {
		return this.directory;
	}

	static boolean isValidId(@Nullable String id) {
		return id != null && VALID_ID.matcher(id).matches();
	}

	/**
	 * Read a session.
	 * @param id its id
	 * @return the session, or {@code null} if there is none, the id is invalid, or its file
	 * cannot be read (which is logged)
	 */
	@Nullable StoredSession load(String id) {
		Cached cached = find(id);
		return (cached != null) ? cached.session() : null;
	}

	private @Nullable Cached find(String id) {
		if (!isValidId(id)) {
			return null;
		}
		long version = this.versions.current(id);
		Cached cached = this.cache.get(id);
		if (cached != null && cached.version() == version) {
			return cached;
		}
		Cached read = read(id, version, (cached != null) ? cached.size() : 0);
		if (read != null) {
			remember(id, read);
		}
		return read;
	}

	private @Nullable Cached read(String id, long version, int sizeHint) {
		try {
			for (int attempt = 1; attempt < READ_ATTEMPTS; attempt++) {
				try {
					return readOnce(id, version, sizeHint);
				}
				catch (StoredSession.TornSessionFileException ex) {
					// Caught while another worker rewrote it
					Thread.onSpinWait();
				}
			}
			// A writer stopped by the scheduler in mid-write still holds the lock: read under it
			return this.locks.lockedUnlessHeld(id, () -> readOnce(id, version, sizeHint));
		}
		catch (IOException ex) {
			logger.warn("Ignoring session file %s, which cannot be read: %s".formatted(this.directory.resolve(id),
					ex.getMessage()));
			return null;
		}
	}

	private @Nullable Cached readOnce(String id, long version, int sizeHint) throws IOException {
		byte[] content = this.files.read(id, sizeHint);
		if (content == null) {
			return null;
		}
		if (content.length == 0) {
			// Deleted by another worker, which empties a file before it unlinks it
			this.files.forget(id);
			return null;
		}
		return new Cached(version, StoredSession.decode(content), content.length);
	}

	private void remember(String id, Cached cached) {
		if (this.cache.size() >= CACHE_LIMIT) {
			// Whatever is dropped is read again from its file
			this.cache.clear();
		}
		this.cache.put(id, cached);
	}

	/**
	 * Merge a request's changes into a session's file.
	 * @param changes the changes
	 * @return the session as stored, or {@code null} if it was deleted meanwhile (by an
	 * invalidation or expiry on another worker) and is not created by these changes
	 * @throws IOException if the file cannot be written
	 */
	@Nullable StoredSession update(SessionChanges changes) throws IOException {
		return this.locks.locked(changes.originalId(), changes.id(), () -> {
			Cached found = find(changes.originalId());
			StoredSession current = (found != null) ? found.session() : null;
			if (current == null && !changes.created()) {
				return null;
			}
			boolean idChanged = !changes.originalId().equals(changes.id());
			Map<String, byte[]> attributes = new LinkedHashMap<>((current != null) ? current.attributes() : Map.of());
			changes.removedAttributes().forEach(attributes::remove);
			attributes.putAll(changes.setAttributes());
			Duration maxInactiveInterval = (changes.maxInactiveInterval() != null) ? changes.maxInactiveInterval()
					: (current != null) ? current.maxInactiveInterval() : Duration.ZERO;
			Instant creationTime = (current != null) ? current.creationTime() : changes.creationTime();
			StoredSession updated = new StoredSession(creationTime, changes.lastAccessedTime(), maxInactiveInterval,
					attributes);
			// In place, under the lock: creating and renaming a file for every change costs the
			// file system far more, and readers that catch a file half written notice it by
			// its checksum
			byte[] content = updated.encode();
			this.files.write(changes.id(), content, (found != null && !idChanged) ? found.size() : 0);
			remember(changes.id(), new Cached(this.versions.raise(changes.id()), updated, content.length));
			if (idChanged) {
				this.files.delete(changes.originalId());
				this.versions.raise(changes.originalId());
				this.cache.remove(changes.originalId());
			}
			return updated;
		});
	}

	/**
	 * Record that a request used a session without changing it, by rewriting only the
	 * time of its last access.
	 * @param id the session's id
	 * @param lastAccessedTime when
	 */
	void touch(String id, Instant lastAccessedTime) {
		try {
			this.locks.locked(id, id, () -> {
				Cached current = find(id);
				if (current == null) {
					// Invalidated or expired meanwhile: nothing to keep alive
					return null;
				}
				this.files.overwrite(id, StoredSession.accessRecord(lastAccessedTime),
						StoredSession.ACCESS_RECORD_OFFSET);
				remember(id, new Cached(this.versions.raise(id), current.session().withLastAccessedTime(lastAccessedTime),
						current.size()));
				return null;
			});
		}
		catch (NoSuchFileException ex) {
			// Deleted by hand meanwhile: nothing to keep alive
		}
		catch (IOException ex) {
			logger.warn("Cannot record the access to session %s: %s".formatted(id, ex.getMessage()));
		}
	}

	/**
	 * Delete a session.
	 * @param id its id
	 * @return the session deleted, or {@code null} if there was none
	 * @throws IOException if the file cannot be deleted
	 */
	@Nullable StoredSession delete(String id) throws IOException {
		return deleteIf(id, (session) -> true);
	}

	/**
	 * Delete a session if it has expired, checked again under its lock: a request on
	 * another worker may have used it since it was read.
	 * @param id its id
	 * @param now the time
	 * @return the session deleted, or {@code null} if it was not deleted
	 * @throws IOException if the file cannot be deleted
	 */
	@Nullable StoredSession deleteIfExpired(String id, Instant now) throws IOException {
		return deleteIf(id, (session) -> session.isExpired(now));
	}

	private @Nullable StoredSession deleteIf(String id, Predicate<StoredSession> condition)
			throws IOException {
		if (!isValidId(id)) {
			return null;
		}
		return this.locks.locked(id, id, () -> {
			StoredSession current = load(id);
			if (current == null || !condition.test(current)) {
				return null;
			}
			this.files.delete(id);
			this.versions.raise(id);
			this.cache.remove(id);
			return current;
		});
	}

	/**
	 * Return the ids of all sessions.
	 * @return the session ids
	 * @throws IOException if the directory cannot be read
	 */
	List<String> ids() throws IOException {
		List<String> ids = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.directory)) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				if (isValidId(name)) {
					ids.add(name);
				}
			}
		}
		return ids;
	}

	private record Cached(long version, StoredSession session, int size) {

	}

	@Override
	public void close() throws IOException {
		this.files.close();
		this.locks.close();
	}

}
