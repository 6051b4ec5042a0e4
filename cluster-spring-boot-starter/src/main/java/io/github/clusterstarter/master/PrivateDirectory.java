package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * A directory whose content the cluster trusts: class data sharing archives that workers
 * map and run, and session files that workers deserialize. Whoever can write to it could
 * run code as the cluster's user, so it must belong to this user, be writable by nobody
 * else, and not be a symbolic link, and so must every directory above it (unless root
 * owns it, or it is sticky like {@code /tmp}, where nobody can rename another user's
 * entries). A directory that does not exist is created with mode 0700.
 */
public final class PrivateDirectory {

	static final FileAttribute<Set<PosixFilePermission>> PRIVATE = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

	private static final int GROUP_OR_OTHERS_WRITE = 0022;

	private static final int STICKY = 01000;

	private PrivateDirectory() {
	}

	/**
	 * Create the directory if it does not exist, and check that only this user can write
	 * to it.
	 * @param directory the directory
	 * @return the directory, absolute
	 * @throws IOException if it cannot be created, or if it is refused, with the reason
	 */
	static Path open(Path directory) throws IOException {
		Path absolute = directory.toAbsolutePath().normalize();
		Path parent = absolute.getParent();
		if (parent == null) {
			throw new IOException("the file system root cannot be a private directory");
		}
		Files.createDirectories(parent);
		try {
			Files.createDirectory(absolute, PRIVATE);
		}
		catch (FileAlreadyExistsException ex) {
			// Checked below like any existing directory
		}
		int uid = currentUid();
		Map<String, Object> attributes = Files.readAttributes(absolute, "unix:uid,mode,isDirectory,isSymbolicLink",
				LinkOption.NOFOLLOW_LINKS);
		if ((boolean) attributes.get("isSymbolicLink")) {
			throw new IOException(absolute + " is a symbolic link, which is not followed");
		}
		if (!(boolean) attributes.get("isDirectory")) {
			throw new IOException(absolute + " is not a directory");
		}
		int owner = (int) attributes.get("uid");
		int mode = (int) attributes.get("mode");
		if (owner != uid) {
			throw new IOException("%s belongs to %s (uid %d), not to this user (uid %d)".formatted(absolute,
					Files.getOwner(absolute, LinkOption.NOFOLLOW_LINKS).getName(), owner, uid));
		}
		if ((mode & GROUP_OR_OTHERS_WRITE) != 0) {
			throw new IOException(
					"%s is writable by its group or others (mode %04o)".formatted(absolute, mode & 07777));
		}
		// Whoever can rename an entry of a directory above could swap this one for theirs
		for (Path ancestor = parent.toRealPath(); ancestor != null; ancestor = ancestor.getParent()) {
			Map<String, Object> above = Files.readAttributes(ancestor, "unix:uid,mode");
			int ancestorOwner = (int) above.get("uid");
			int ancestorMode = (int) above.get("mode");
			if (ancestorOwner != 0 && ancestorOwner != uid) {
				throw new IOException("%s, above %s, belongs to another user (uid %d)".formatted(ancestor, absolute,
						ancestorOwner));
			}
			if ((ancestorMode & GROUP_OR_OTHERS_WRITE) != 0 && (ancestorMode & STICKY) == 0) {
				throw new IOException("%s, above %s, is writable by its group or others and not sticky (mode %04o)"
					.formatted(ancestor, absolute, ancestorMode & 07777));
			}
		}
		return absolute;
	}

	/**
	 * Return a directory of this user's in the temporary directory, which other users
	 * share: its name carries the user id, so that each user has one of their own.
	 * @param temporaryDirectory the temporary directory
	 * @param name the name of the directory, without the user id
	 * @return {@code <name>-<uid>} in the temporary directory
	 */
	static Path inTemporaryDirectory(String temporaryDirectory, String name) {
		try {
			return Path.of(temporaryDirectory, name + "-" + currentUid());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read this process's user id", ex);
		}
	}

	/**
	 * Return the effective user id of this process: the owner of its {@code /proc} entry.
	 * @return the user id
	 * @throws IOException if {@code /proc} cannot be read
	 */
	static int currentUid() throws IOException {
		return (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
	}

}
