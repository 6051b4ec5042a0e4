package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Where the workers keep the sessions they share: a {@link PrivateDirectory}, since they
 * deserialize what they find there, named after the port, so that a new master (an
 * upgrade, or a restart of the service) finds the sessions of the one before it.
 */
public final class SharedSessions {

	private static final Log logger = LogFactory.getLog(SharedSessions.class);

	private SharedSessions() {
	}

	/**
	 * Return the default parent of session directories.
	 * @param temporaryDirectory the temporary directory
	 * @return {@code boot-cluster-sessions-<uid>} in it
	 */
	public static Path defaultLocation(String temporaryDirectory) {
		return PrivateDirectory.inTemporaryDirectory(temporaryDirectory, "boot-cluster-sessions");
	}

	/**
	 * Open the directory of the sessions of a cluster.
	 * @param parent the parent of session directories, or {@code null} when workers do not
	 * share sessions
	 * @param port the port the cluster listens on
	 * @return the directory, or {@code null} when workers do not share sessions
	 * @throws ClusterConfigurationException if the directory is refused
	 */
	static @Nullable Path open(PrivateDirectory.@Nullable Location parent, int port) {
		if (parent == null) {
			return null;
		}
		try {
			return PrivateDirectory.open(parent.path().resolve(Integer.toString(port)), parent.trustWritableParents());
		}
		catch (IOException ex) {
			throw new ClusterConfigurationException("The workers cannot share HTTP sessions: the sessions directory "
					+ "is refused: " + ex.getMessage() + ". Workers deserialize what they find there, so it must "
					+ "belong to this user and be writable by nobody else.",
					(ex instanceof PrivateDirectory.WritableAncestorException)
							? "If only this pod's containers can write to it (a Kubernetes emptyDir), set "
									+ "cluster.sessions.trust-writable-parents=true; otherwise point "
									+ "cluster.sessions.directory elsewhere, or set cluster.sessions.shared=false."
							: "Point cluster.sessions.directory at a directory that only this user can write to (or "
									+ "remove the one that is there), or set cluster.sessions.shared=false.");
		}
	}

	/**
	 * Remove the directory of a cluster's sessions if no session is left in it, so that
	 * clusters that kept no session (tests on ephemeral ports, applications without
	 * sessions) leave nothing behind. Sessions, when there are, stay for the next start.
	 * @param directory the directory, or {@code null} if the workers share no sessions
	 */
	static void removeIfUnused(@Nullable Path directory) {
		if (directory == null) {
			return;
		}
		try (Stream<Path> entries = Files.list(directory)) {
			List<Path> all = entries.toList();
			if (all.stream().allMatch((entry) -> entry.getFileName().toString().startsWith("."))) {
				for (Path entry : all) {
					Files.deleteIfExists(entry);
				}
				Files.deleteIfExists(directory);
			}
		}
		catch (IOException ex) {
			logger.debug("Cannot remove the unused sessions directory " + directory, ex);
		}
	}

}
