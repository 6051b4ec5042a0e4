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
 * entries). A directory that does not exist is created with mode 0700. Two exceptions,
 * each explicit: a directory only read from may belong to root, who alone can write to
 * it then (an archive made at image build time); and directories above may be writable
 * by others without the sticky bit when the caller trusts everyone who can write to
 * them, as in a Kubernetes {@code emptyDir} that only the pod's containers mount.
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
	 * @param trustWritableParents whether directories above it may be writable by others without
	 * the sticky bit, as a Kubernetes {@code emptyDir} is: every process that can write
	 * to them (the pod's containers that mount the volume) is trusted
	 * @return the directory, absolute
	 * @throws IOException if it cannot be created, or if it is refused, with the reason
	 */
	static Path open(Path directory, boolean trustWritableParents) throws IOException {
		Path absolute = absolute(directory);
		Files.createDirectories(absolute.getParent());
		try {
			Files.createDirectory(absolute, PRIVATE);
		}
		catch (FileAlreadyExistsException ex) {
			// Checked below like any existing directory
		}
		check(absolute, false, trustWritableParents);
		return absolute;
	}

	/**
	 * Check an existing directory to read from without writing to it: it may also belong
	 * to root, who alone can write to it then, as to a directory made at image build
	 * time. Nothing is created.
	 * @param directory the directory
	 * @param trustWritableParents whether directories above it may be writable by others without
	 * the sticky bit (see {@link #open(Path, boolean)})
	 * @return the directory, absolute
	 * @throws IOException if it does not exist, or if it is refused, with the reason
	 */
	static Path openForReading(Path directory, boolean trustWritableParents) throws IOException {
		Path absolute = absolute(directory);
		check(absolute, true, trustWritableParents);
		return absolute;
	}

	/**
	 * Check a file or directory inside a checked directory, as
	 * {@link #openForReading(Path, boolean)} does, without looking above it.
	 * @param entry the file or directory
	 * @throws IOException if it is refused, with the reason
	 */
	static void checkEntry(Path entry) throws IOException {
		checkOwnerAndMode(entry, true);
	}

	private static Path absolute(Path directory) throws IOException {
		Path absolute = directory.toAbsolutePath().normalize();
		if (absolute.getParent() == null) {
			throw new IOException("the file system root cannot be a private directory");
		}
		return absolute;
	}

	private static void check(Path absolute, boolean rootMayOwn, boolean trustWritableParents) throws IOException {
		if (!checkOwnerAndMode(absolute, rootMayOwn)) {
			throw new IOException(absolute + " is not a directory");
		}
		int uid = currentUid();
		// Whoever can rename an entry of a directory above could swap this one for theirs
		for (Path ancestor = absolute.getParent().toRealPath(); ancestor != null; ancestor = ancestor.getParent()) {
			Map<String, Object> above = Files.readAttributes(ancestor, "unix:uid,mode");
			int ancestorOwner = (int) above.get("uid");
			int ancestorMode = (int) above.get("mode");
			if (ancestorOwner != 0 && ancestorOwner != uid) {
				throw new IOException("%s, above %s, belongs to another user (uid %d)".formatted(ancestor, absolute,
						ancestorOwner));
			}
			if ((ancestorMode & GROUP_OR_OTHERS_WRITE) != 0 && (ancestorMode & STICKY) == 0 && !trustWritableParents) {
				throw new WritableAncestorException(("%s, above %s, is writable by its group or others and not sticky "
						+ "(mode %04o), as a Kubernetes emptyDir is").formatted(ancestor, absolute, ancestorMode & 07777));
			}
		}
	}

	/**
	 * Check that an entry is no symbolic link, belongs to this user (or to root, if
	 * allowed) and is not writable by its group or others.
	 * @return whether it is a directory
	 */
	private static boolean checkOwnerAndMode(Path entry, boolean rootMayOwn) throws IOException {
		Map<String, Object> attributes = Files.readAttributes(entry, "unix:uid,mode,isDirectory,isSymbolicLink",
				LinkOption.NOFOLLOW_LINKS);
		if ((boolean) attributes.get("isSymbolicLink")) {
			throw new IOException(entry + " is a symbolic link, which is not followed");
		}
		int uid = currentUid();
		int owner = (int) attributes.get("uid");
		int mode = (int) attributes.get("mode");
		if (owner != uid && !(rootMayOwn && owner == 0)) {
			throw new IOException("%s belongs to %s (uid %d), not to this user (uid %d)%s".formatted(entry,
					Files.getOwner(entry, LinkOption.NOFOLLOW_LINKS).getName(), owner, uid,
					rootMayOwn ? " or root" : ""));
		}
		if ((mode & GROUP_OR_OTHERS_WRITE) != 0) {
			throw new IOException("%s is writable by its group or others (mode %04o)".formatted(entry, mode & 07777));
		}
		return (boolean) attributes.get("isDirectory");
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

	/**
	 * Where a private directory is, and what is accepted above it.
	 *
	 * @param path the directory
	 * @param trustWritableParents whether directories above it may be writable by others
	 * without the sticky bit, as a Kubernetes {@code emptyDir} is: every process that can
	 * write to them (the pod's containers that mount the volume) is trusted
	 */
	public record Location(Path path, boolean trustWritableParents) {

	}

	/**
	 * A directory above is writable by others and not sticky: acceptable only where
	 * everyone who can write to it is trusted, as in a Kubernetes {@code emptyDir}.
	 */
	static final class WritableAncestorException extends IOException {

		WritableAncestorException(String message) {
			super(message);
		}

	}

}
