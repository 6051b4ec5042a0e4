package io.github.clusterstarter.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A private temporary directory, readable by the owner only, that holds the control
 * socket. A master killed with {@code kill -9} cannot delete its directory; the next master
 * of the same user deletes it once nothing listens on its socket.
 */
public final class ControlDirectory {

	private static final Log logger = LogFactory.getLog(ControlDirectory.class);

	private static final String PREFIX = "boot-cluster-";

	private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "\\d+-\\d+");

	private static final String SOCKET = "control.sock";

	private static final Duration UNBOUND_GRACE = Duration.ofMinutes(1);

	private final Path directory;

	private ControlDirectory(Path directory) {
		this.directory = directory;
	}

	/**
	 * Create a new directory in the temporary directory, and delete those of masters of
	 * this user that are gone.
	 * @return the directory
	 * @throws UncheckedIOException if it cannot be created
	 */
	public static ControlDirectory create() {
		try {
			return create(Path.of(System.getProperty("java.io.tmpdir")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the cluster's control directory", ex);
		}
	}

	static ControlDirectory create(Path parent) throws IOException {
		deleteStale(parent);
		return new ControlDirectory(Files.createTempDirectory(parent, PREFIX + ProcessHandle.current().pid() + "-",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
	}

	private static void deleteStale(Path parent) {
		try (DirectoryStream<Path> candidates = Files.newDirectoryStream(parent, PREFIX + "*")) {
			for (Path candidate : candidates) {
				if (isStale(candidate)) {
					logger.info("Deleting the control directory of a cluster master that is gone: " + candidate);
					new ControlDirectory(candidate).delete();
				}
			}
		}
		catch (IOException ex) {
			logger.debug("Cannot look for the control directories of masters that are gone", ex);
		}
	}

	/**
	 * A directory is stale if it is this user's and nothing listens on its socket any
	 * more. Whether its master's pid is alive says nothing: a master in another PID
	 * namespace (a container sharing the temporary directory) has a pid this one cannot
	 * see. A directory without a socket is stale once it is old: a master binds its
	 * socket right after creating it.
	 */
	private static boolean isStale(Path candidate) throws IOException {
		if (!NAME.matcher(candidate.getFileName().toString()).matches()
				|| !Files.isDirectory(candidate, LinkOption.NOFOLLOW_LINKS)
				|| !Files.getOwner(candidate, LinkOption.NOFOLLOW_LINKS).equals(currentUser())) {
			return false;
		}
		Path socket = candidate.resolve(SOCKET);
		if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
			Instant modified = Files.getLastModifiedTime(candidate, LinkOption.NOFOLLOW_LINKS).toInstant();
			return modified.isBefore(Instant.now().minus(UNBOUND_GRACE));
		}
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(socket));
			return false;
		}
		catch (ConnectException ex) {
			return true;
		}
	}

	private static UserPrincipal currentUser() throws IOException {
		return FileSystems.getDefault()
			.getUserPrincipalLookupService()
			.lookupPrincipalByName(System.getProperty("user.name"));
	}

	/**
	 * Return the directory.
	 * @return the path
	 */
	public Path path() {
		return this.directory;
	}

	/**
	 * Return the path of the control socket.
	 * @return the socket path
	 */
	public Path socketPath() {
		return this.directory.resolve(SOCKET);
	}

	/**
	 * Delete the socket and the directory, as far as possible. Idempotent.
	 */
	public void delete() {
		try {
			Files.deleteIfExists(socketPath());
			Files.deleteIfExists(this.directory);
		}
		catch (IOException ex) {
			// Left behind in the temporary directory; the next master deletes it
		}
	}

}
