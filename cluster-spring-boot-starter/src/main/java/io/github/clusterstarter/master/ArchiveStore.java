package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.FileSystemUtils;

/**
 * The archives in a verified cache directory, one directory per {@link ArchiveKey}, and
 * who may change them. Several masters may share the cache:
 * <ul>
 * <li>a key's directory is written only while holding the cache's exclusive lock
 * ({@code .lock}), and only when it is not ready, so an archive that workers have mapped
 * is never rewritten; the archive and the {@code ready} marker are written to a temporary
 * file and renamed into place, so nobody sees them half written;</li>
 * <li>a master holds a shared lock on the {@code lock} file of every key its workers use,
 * for as long as it runs, and old keys that no master uses are deleted, keeping the most
 * recently used few, so the cache does not grow with every deploy.</li>
 * </ul>
 * The archive is trained in its final directory because the archive records the class
 * path it was created with. A store that this master cannot write to (an archive made at
 * image build time, a read-only file system) is only read: its ready archives are used
 * without any lock, since nobody but root can change them, and every file of a key is
 * checked before its first use.
 */
final class ArchiveStore implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ArchiveStore.class);

	private static final int UNUSED_KEYS_KEPT = 2;

	private static final Set<PosixFilePermission> READABLE_DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");

	private static final String ARCHIVE = (Runtime.version().feature() >= 25) ? "app.aot" : "app.jsa";

	private final Path root;

	private final String jarName;

	private final boolean readOnly;

	private final Map<String, FileChannel> used = new HashMap<>();

	private final Map<String, Boolean> trusted = new HashMap<>();

	/**
	 * Create a store that this master may write to.
	 * @param root the cache directory, already verified
	 * @param jarName the file name of the application's jar
	 */
	ArchiveStore(Path root, String jarName) {
		this(root, jarName, false);
	}

	private ArchiveStore(Path root, String jarName, boolean readOnly) {
		this.root = root;
		this.jarName = jarName;
		this.readOnly = readOnly;
	}

	/**
	 * Create a store that is only read from.
	 * @param root the cache directory, already verified for reading
	 * @param jarName the file name of the application's jar
	 * @return the store
	 */
	static ArchiveStore readOnly(Path root, String jarName) {
		return new ArchiveStore(root, jarName, true);
	}

	boolean isReadOnly() {
		return this.readOnly;
	}

	Path root() {
		return this.root;
	}

	Path directory(String key) {
		return this.root.resolve(key);
	}

	Path archive(String key) {
		return directory(key).resolve(ARCHIVE);
	}

	Path trainingOutput(String key) {
		// The same extension as the archive, in case the JVM looks at it
		return directory(key).resolve("training-" + ARCHIVE);
	}

	Path extractedJar(String key) {
		return directory(key).resolve("app").resolve(this.jarName);
	}

	/**
	 * Return whether the key's archive is published and all of it is still there.
	 * @param key the key
	 * @return whether workers can start with it
	 */
	boolean isReady(String key) {
		Path extractedJar = extractedJar(key);
		boolean published = Stream.of(directory(key).resolve("ready"), archive(key), extractedJar)
			.allMatch((file) -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS));
		return published && Files.isDirectory(extractedJar.resolveSibling("lib"), LinkOption.NOFOLLOW_LINKS);
	}

	/**
	 * Mark the key as used by this master, unless it is not ready.
	 * @param key the key
	 * @return whether it is ready, and marked as used
	 */
	synchronized boolean use(String key) {
		if (this.readOnly) {
			return isReady(key) && isTrusted(key);
		}
		if (!this.used.containsKey(key)) {
			if (!isReady(key)) {
				return false;
			}
			try {
				Path lock = directory(key).resolve("lock");
				FileChannel channel = FileChannel.open(lock, StandardOpenOption.READ, StandardOpenOption.WRITE,
						LinkOption.NOFOLLOW_LINKS);
				try {
					// Blocks only while another master deletes it, and then it is no longer ready
					channel.lock(0, Long.MAX_VALUE, true);
				}
				catch (IOException | RuntimeException ex) {
					closeQuietly(channel);
					throw ex;
				}
				this.used.put(key, channel);
				// The clean-up keeps the most recently used
				Files.setLastModifiedTime(lock, FileTime.fromMillis(System.currentTimeMillis()));
			}
			catch (IOException | OverlappingFileLockException ex) {
				logger.debug("Cannot mark " + directory(key) + " as used", ex);
				return false;
			}
		}
		return isReady(key);
	}

	/**
	 * Check, once, that every file of a key in a read-only store belongs to this user or
	 * root and is writable by nobody else: root may have made one writable by mistake.
	 */
	private boolean isTrusted(String key) {
		Boolean trusted = this.trusted.get(key);
		if (trusted == null) {
			trusted = checkEntries(key);
			this.trusted.put(key, trusted);
		}
		return trusted;
	}

	private boolean checkEntries(String key) {
		try (Stream<Path> entries = Files.walk(directory(key))) {
			for (Path entry : entries.toList()) {
				PrivateDirectory.checkEntry(entry);
			}
			return true;
		}
		catch (IOException ex) {
			logger.warn("The class data sharing archive in %s is not used: %s".formatted(directory(key),
					ex.getMessage()));
			return false;
		}
	}

	/**
	 * Let every user read a key's directory and the cache directory, which stay writable
	 * by this user only: an archive made at image build time is used by the image's own
	 * user, which is often not the one that built it.
	 * @param key the key
	 * @throws IOException if the permissions cannot be changed
	 */
	void makeReadable(String key) throws IOException {
		Files.setPosixFilePermissions(this.root, READABLE_DIRECTORY);
		try (Stream<Path> entries = Files.walk(directory(key))) {
			for (Path entry : entries.toList()) {
				if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
					Files.setPosixFilePermissions(entry, READABLE_DIRECTORY);
				}
				else if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
					Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(entry);
					permissions.removeAll(Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE));
					permissions.addAll(Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
					Files.setPosixFilePermissions(entry, permissions);
				}
			}
		}
	}

	/**
	 * Lock the whole cache against changes by other masters, blocking until they are done.
	 * @return the channel that holds the lock; closing it releases the lock
	 * @throws IOException if the lock file cannot be opened
	 */
	FileChannel lockExclusively() throws IOException {
		FileChannel channel = FileChannel.open(this.root.resolve(".lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
		try {
			channel.lock();
			return channel;
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	/**
	 * Start writing the key's directory over: empty, with its lock file. Call while
	 * holding the exclusive lock, and only for a key that is not ready.
	 * @param key the key
	 * @return the directory
	 * @throws IOException if it cannot be created
	 */
	Path prepare(String key) throws IOException {
		Path directory = directory(key);
		FileSystemUtils.deleteRecursively(directory);
		Files.createDirectory(directory, PrivateDirectory.PRIVATE);
		Files.createFile(directory.resolve("lock"));
		return directory;
	}

	/**
	 * Publish a trained archive: rename it into place, then the {@code ready} marker.
	 * @param key the key
	 * @param trained the archive the training run wrote
	 * @throws IOException if it cannot be published
	 */
	void publish(String key, Path trained) throws IOException {
		Files.move(trained, archive(key), StandardCopyOption.ATOMIC_MOVE);
		Path marker = directory(key).resolve("ready.tmp");
		Files.writeString(marker, key);
		Files.move(marker, directory(key).resolve("ready"), StandardCopyOption.ATOMIC_MOVE);
	}

	/**
	 * Delete the keys that no master uses, except the most recently used few. Call while
	 * holding the exclusive lock, so that nobody is training.
	 */
	synchronized void removeUnused() {
		List<Unused> unused = new ArrayList<>();
		try (Stream<Path> entries = Files.list(this.root)) {
			for (Path entry : entries.toList()) {
				String name = entry.getFileName().toString();
				if (!name.startsWith(".") && !this.used.containsKey(name)
						&& Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
					Unused candidate = Unused.lock(entry);
					if (candidate != null) {
						unused.add(candidate);
					}
				}
			}
		}
		catch (IOException ex) {
			logger.debug("Cannot list " + this.root, ex);
		}
		unused.sort(Comparator.comparing(Unused::lastUsed).reversed());
		for (int i = 0; i < unused.size(); i++) {
			Unused candidate = unused.get(i);
			if (i >= UNUSED_KEYS_KEPT) {
				candidate.delete();
			}
			candidate.close();
		}
	}

	/**
	 * Release the keys this master used.
	 */
	@Override
	public synchronized void close() {
		this.used.values().forEach(ArchiveStore::closeQuietly);
		this.used.clear();
	}

	private static void closeQuietly(FileChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// Closing releases the lock either way
		}
	}

	/**
	 * A key's directory that no master uses, locked so that none starts to.
	 */
	private record Unused(Path directory, FileTime lastUsed, @Nullable FileChannel channel) {

		static @Nullable Unused lock(Path directory) {
			Path lock = directory.resolve("lock");
			FileChannel channel = null;
			try {
				if (!Files.exists(lock, LinkOption.NOFOLLOW_LINKS)) {
					// Left by an earlier version, which wrote no lock file
					return new Unused(directory, Files.getLastModifiedTime(directory, LinkOption.NOFOLLOW_LINKS),
							null);
				}
				channel = FileChannel.open(lock, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
				if (channel.tryLock() == null) {
					closeQuietly(channel);
					return null;
				}
				return new Unused(directory, Files.getLastModifiedTime(lock), channel);
			}
			catch (IOException | OverlappingFileLockException ex) {
				if (channel != null) {
					closeQuietly(channel);
				}
				return null;
			}
		}

		void delete() {
			try {
				FileSystemUtils.deleteRecursively(this.directory);
				logger.info("Deleted the unused class data sharing archive " + this.directory);
			}
			catch (IOException ex) {
				logger.warn("Cannot delete the unused class data sharing archive " + this.directory + ": " + ex);
			}
		}

		void close() {
			FileChannel channel = this.channel;
			if (channel != null) {
				closeQuietly(channel);
			}
		}

	}

}
