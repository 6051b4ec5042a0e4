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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * path it was created with.
 */
final class ArchiveStore implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ArchiveStore.class);

	private static final int UNUSED_KEYS_KEPT = 2;

	private static final String ARCHIVE = (Runtime.version().feature() >= 25) ? "app.aot" : "app.jsa";

	private final Path root;

	private final String jarName;

	private final Map<String, FileChannel> used = new HashMap<>();

	/**
	 * Create a store.
	 * @param root the cache directory, already verified
	 * @param jarName the file name of the application's jar
	 */
	ArchiveStore(Path root, String jarName) {
		this.root = root;
		this.jarName = jarName;
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
