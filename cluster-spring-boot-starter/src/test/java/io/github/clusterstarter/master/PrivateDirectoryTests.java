package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.file.Files;
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
		Path cache = PrivateDirectory.open(this.temp.resolve("parent/cds"));
		assertThat(cache).isEqualTo(this.temp.resolve("parent/cds"));
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
		assertThat((int) Files.getAttribute(cache, "unix:uid")).isEqualTo(PrivateDirectory.currentUid());
	}

	@Test
	void acceptsAnExistingPrivateDirectory() throws IOException {
		Path cache = Files.createDirectory(this.temp.resolve("cds"));
		Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
		assertThat(PrivateDirectory.open(cache)).isEqualTo(cache);
	}

	@Test
	void refusesADirectoryThatAnotherUserCreatedFirst() throws IOException {
		Path cache = Files.createDirectory(this.temp.resolve("cds"));
		Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
		Files.setOwner(cache, nobody());
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(cache))
			.withMessageContaining("belongs to nobody (uid 65534), not to this user");
	}

	@Test
	void refusesAWorldWritableDirectory() throws IOException {
		Path cache = Files.createDirectory(this.temp.resolve("cds"));
		Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(cache))
			.withMessageContaining("is writable by its group or others (mode 0777)");
	}

	@Test
	void refusesAGroupWritableDirectory() throws IOException {
		Path cache = Files.createDirectory(this.temp.resolve("cds"));
		Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwx---"));
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(cache))
			.withMessageContaining("is writable by its group or others (mode 0770)");
	}

	@Test
	void refusesASymbolicLinkEvenToAPrivateDirectory() throws IOException {
		Path target = Files.createDirectory(this.temp.resolve("target"));
		Path cache = Files.createSymbolicLink(this.temp.resolve("cds"), target);
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(cache))
			.withMessageContaining("is a symbolic link, which is not followed");
	}

	@Test
	void refusesADirectoryInsideOneThatAnotherUserOwns() throws IOException {
		Path parent = Files.createDirectory(this.temp.resolve("theirs"));
		Path cache = Files.createDirectory(parent.resolve("cds"));
		Files.setOwner(parent, nobody());
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(cache))
			.withMessageContaining(parent + ", above " + cache + ", belongs to another user (uid 65534)");
	}

	@Test
	void refusesADirectoryInsideAWorldWritableOneThatIsNotSticky() throws IOException {
		Path parent = Files.createDirectory(this.temp.resolve("shared"));
		Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(parent.resolve("cds")))
			.withMessageContaining("is writable by its group or others and not sticky (mode 0777)");
	}

	@Test
	void acceptsADirectoryInsideAStickyWorldWritableOne() throws IOException {
		Path parent = Files.createDirectory(this.temp.resolve("shared"));
		Files.setAttribute(parent, "unix:mode", 01777);
		assertThat(PrivateDirectory.open(parent.resolve("cds"))).isDirectory();
	}

	@Test
	void refusesAFile() throws IOException {
		Path cache = Files.createFile(this.temp.resolve("cds"));
		assertThatIOException().isThrownBy(() -> PrivateDirectory.open(cache))
			.withMessageContaining("is not a directory");
	}

	static UserPrincipal nobody() throws IOException {
		return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
	}

}
