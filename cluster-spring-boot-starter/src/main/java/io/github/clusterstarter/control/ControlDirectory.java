package io.github.clusterstarter.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A private temporary directory, readable by the owner only, that holds the control
 * socket.
 */
public final class ControlDirectory {

	private final Path directory;

	private ControlDirectory(Path directory) {
		this.directory = directory;
	}

	/**
	 * Create a new directory.
	 * @return the directory
	 * @throws IOException if it cannot be created
	 */
	public static ControlDirectory create() throws IOException {
		return new ControlDirectory(Files.createTempDirectory("boot-cluster-",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
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
		return this.directory.resolve("control.sock");
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
			// Left behind in the temporary directory; nothing else depends on it
		}
	}

}
