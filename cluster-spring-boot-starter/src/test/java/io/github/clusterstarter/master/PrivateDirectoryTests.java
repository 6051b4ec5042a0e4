package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link PrivateDirectory}, with real directories. They run as root (to hand a
 * directory to {@code nobody}), as the build does.
 */
class PrivateDirectoryTests {

	@TempDir
	Path temp;

	@Test
	void createsAMissingDirectoryForThisUserOnly() throws IOException {
		Path cache = PrivateDirectory.open(this.temp.resolve("parent/cds"), false);
		assertThat(cache).isEqualTo(this.temp.resolve("parent/cds"));
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
		assertThat((int) Files.getAttribute(cache, "unix:uid")).isEqualTo(PrivateDirectory.currentUid());
	}

	@Test
	void acceptsAnExistingPrivateDirectory() throws IOException {
		Path cache = Files.createDirectory(this.temp.resolve("cds"));
		Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
		assertThat(PrivateDirectory.open(cache, false)).isEqualTo(cache);
	}

	@Test
	void refusesADirectoryThatAnotherUserCreatedFirst() throws IOException {
		Path cache = Files.createDirectory(this.temp.resolve("cds"));
		Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
		Files.setOwner(cache, nobody());
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(cache, false))
			.withMessageContaining("belongs to nobody (uid 65534), not to this user");
	}

	@Test
	void refusesAWorldWritableDirectory() throws IOException {
		Path cache = Files.createDirectory(this.temp.resolve("cds"));
		Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(cache, false))
			.withMessageContaining("is writable by its group or others (mode 0777)");
	}

	@Test
	void refusesAGroupWritableDirectory() throws IOException {
		Path cache = Files.createDirectory(this.temp.resolve("cds"));
		Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwx---"));
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(cache, false))
			.withMessageContaining("is writable by its group or others (mode 0770)");
	}

	@Test
	void refusesASymbolicLinkEvenToAPrivateDirectory() throws IOException {
		Path target = Files.createDirectory(this.temp.resolve("target"));
		Path cache = Files.createSymbolicLink(this.temp.resolve("cds"), target);
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(cache, false))
			.withMessageContaining("is a symbolic link, which is not followed");
	}

	@Test
	void refusesADirectoryInsideOneThatAnotherUserOwns() throws IOException {
		Path parent = Files.createDirectory(this.temp.resolve("theirs"));
		Path cache = Files.createDirectory(parent.resolve("cds"));
		Files.setOwner(parent, nobody());
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(cache, false))
			.withMessageContaining(parent + ", above " + cache + ", belongs to another user (uid 65534)");
	}

	@Test
	void refusesADirectoryInsideAWorldWritableOneThatIsNotSticky() throws IOException {
		Path parent = Files.createDirectory(this.temp.resolve("shared"));
		Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(parent.resolve("cds"), false))
			.withMessageContaining("is writable by its group or others and not sticky (mode 0777)");
	}

	@Test
	void refusesADirectoryInsideAnEmptyDirWithoutTheOptIn() throws IOException {
		Path emptyDir = emptyDir();
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(emptyDir.resolve("cds"), false))
			.isInstanceOf(PrivateDirectory.WritableAncestorException.class)
			.withMessageContaining(emptyDir + ", above " + emptyDir.resolve("cds")
					+ ", is writable by its group or others and not sticky (mode 0777), as a Kubernetes emptyDir is");
	}

	@Test
	void acceptsADirectoryInsideAnEmptyDirWithTheOptIn() throws IOException {
		Path emptyDir = emptyDir();
		Path cache = PrivateDirectory.open(emptyDir.resolve("cds"), true);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
	}

	@Test
	void theOptInStillRefusesADirectoryThatAnotherUserPlantedInTheEmptyDir() throws IOException {
		Path planted = Files.createDirectory(emptyDir().resolve("cds"));
		Files.setOwner(planted, nobody());
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(planted, true))
			.withMessageContaining("belongs to nobody (uid 65534), not to this user");
	}

	@Test
	void theOptInStillRefusesAWorldWritableDirectoryInTheEmptyDir() throws IOException {
		Path cache = Files.createDirectory(emptyDir().resolve("cds"));
		Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(cache, true))
			.withMessageContaining("is writable by its group or others (mode 0777)");
	}

	@Test
	void theOptInStillRefusesAnEmptyDirBelowADirectoryOfAnotherUser() throws IOException {
		Path theirs = Files.createDirectory(this.temp.resolve("theirs"));
		Path emptyDir = Files.createDirectory(theirs.resolve("volume"));
		Files.setPosixFilePermissions(emptyDir, PosixFilePermissions.fromString("rwxrwxrwx"));
		Files.setOwner(theirs, nobody());
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(emptyDir.resolve("cds"), true))
			.withMessageContaining("belongs to another user (uid 65534)");
	}

	@Test
	void readsADirectoryOfRootThatNobodyElseCanWriteToWithoutCreatingAnything() throws IOException {
		Path cache = Files.createDirectory(this.temp.resolve("cds"));
		Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
		assertThat(PrivateDirectory.openForReading(cache, false)).isEqualTo(cache);
		assertThatIOException().isThrownBy(() -> PrivateDirectory.openForReading(this.temp.resolve("missing"), false))
			.isInstanceOf(NoSuchFileException.class);
		assertThat(this.temp.resolve("missing")).doesNotExist();
	}

	@Test
	void refusesToReadADirectoryOfAnotherUserOrOneThatOthersCanWriteTo() throws IOException {
		Path theirs = Files.createDirectory(this.temp.resolve("theirs"));
		Files.setOwner(theirs, nobody());
		assertThatIOException().isThrownBy(() -> PrivateDirectory.openForReading(theirs, false))
			.withMessageContaining("belongs to nobody (uid 65534), not to this user (uid 0) or root");
		Path writable = Files.createDirectory(this.temp.resolve("writable"));
		Files.setPosixFilePermissions(writable, PosixFilePermissions.fromString("rwxrwxr-x"));
		assertThatIOException().isThrownBy(() -> PrivateDirectory.openForReading(writable, false))
			.withMessageContaining("is writable by its group or others (mode 0775)");
		Path link = Files.createSymbolicLink(this.temp.resolve("link"), this.temp);
		assertThatIOException().isThrownBy(() -> PrivateDirectory.openForReading(link, false))
			.withMessageContaining("is a symbolic link");
	}

	@Test
	void acceptsADirectoryInsideAStickyWorldWritableOne() throws IOException {
		Path parent = Files.createDirectory(this.temp.resolve("shared"));
		Files.setAttribute(parent, "unix:mode", 01777);
		assertThat(PrivateDirectory.open(parent.resolve("cds"), false)).isDirectory();
	}

	@Test
	void refusesAFile() throws IOException {
		Path cache = Files.createFile(this.temp.resolve("cds"));
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(cache, false))
			.withMessageContaining("is not a directory");
	}

	/**
	 * A directory as Kubernetes creates an emptyDir volume: root's, mode 0777, not sticky.
	 */
	private Path emptyDir() throws IOException {
		Path emptyDir = Files.createDirectory(this.temp.resolve("volume"));
		Files.setPosixFilePermissions(emptyDir, PosixFilePermissions.fromString("rwxrwxrwx"));
		return emptyDir;
	}

	static UserPrincipal nobody() throws IOException {
		return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
	}

}
