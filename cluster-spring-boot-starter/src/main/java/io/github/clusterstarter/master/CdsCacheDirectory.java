package io.github.clusterstarter.master;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * Where class data sharing archives are kept by default. Workers run the jar and map the
 * archive found there, so the directory is opened as a {@link PrivateDirectory}.
 */
public final class CdsCacheDirectory {

	private CdsCacheDirectory() {
	}

	/**
	 * Return the default cache directory: {@code boot-cluster-cds} in the user's cache
	 * directory ({@code $XDG_CACHE_HOME}, or {@code ~/.cache}), which persists across
	 * restarts and reboots and which no other user can create first; or, for a user
	 * without a writable home (such as {@code nobody}, or a container's arbitrary user),
	 * {@code boot-cluster-cds-<uid>} in the temporary directory.
	 * @param xdgCacheHome the value of {@code XDG_CACHE_HOME}, or {@code null}
	 * @param userHome the user's home directory
	 * @param temporaryDirectory the temporary directory
	 * @return the directory
	 */
	public static Path defaultLocation(@Nullable String xdgCacheHome, String userHome, String temporaryDirectory) {
		Path cacheHome = (xdgCacheHome != null && xdgCacheHome.startsWith("/")) ? Path.of(xdgCacheHome)
				: Path.of(userHome, ".cache");
		if (userHome.startsWith("/") && (Files.isDirectory(cacheHome) ? Files.isWritable(cacheHome)
				: Files.isWritable(cacheHome.getParent()))) {
			return cacheHome.resolve("boot-cluster-cds");
		}
		return PrivateDirectory.inTemporaryDirectory(temporaryDirectory, "boot-cluster-cds");
	}

}
