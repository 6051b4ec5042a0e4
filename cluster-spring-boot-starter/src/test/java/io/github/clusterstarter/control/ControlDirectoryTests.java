package io.github.clusterstarter.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ControlDirectory}: a master killed with {@code kill -9} leaves its
 * directory behind, and the next master deletes it, and nothing else.
 */
class ControlDirectoryTests {

	@TempDir
	Path temp;

	@Test
	void isPrivateAndNamedForItsMaster() throws IOException {
		ControlDirectory directory = ControlDirectory.create(this.temp);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.path())))
			.isEqualTo("rwx------");
		assertThat(directory.path().getFileName().toString())
			.startsWith("boot-cluster-" + ProcessHandle.current().pid() + "-");
		directory.delete();
		assertThat(directory.path()).doesNotExist();
	}

	@Test
	void deletesTheDirectoriesOfMastersThatAreGoneAndNothingElse() throws Exception {
		long deadPid = deadPid();
		Path dead = leftover("boot-cluster-" + deadPid + "-1");
		Path live = leftover("boot-cluster-" + ProcessHandle.current().pid() + "-2");
		Path notOurs = leftover("boot-cluster-" + deadPid + "-3");
		UserPrincipal nobody = this.temp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
		Files.setOwner(notOurs, nobody);
		Path link = Files.createSymbolicLink(this.temp.resolve("boot-cluster-" + deadPid + "-4"),
				Files.createDirectory(this.temp.resolve("target")));
		Path otherName = leftover("boot-cluster-12345");
		Path withOtherContent = leftover("boot-cluster-" + deadPid + "-5");
		Files.writeString(withOtherContent.resolve("keep.txt"), "not a control socket");
		ControlDirectory created = ControlDirectory.create(this.temp);
		assertThat(dead).doesNotExist();
		assertThat(live).exists();
		assertThat(notOurs).exists();
		assertThat(link).exists();
		assertThat(this.temp.resolve("target")).exists();
		assertThat(otherName).exists();
		assertThat(withOtherContent.resolve("keep.txt")).exists();
		assertThat(created.path()).exists();
	}

	private Path leftover(String name) throws IOException {
		Path directory = Files.createDirectory(this.temp.resolve(name));
		Files.createFile(directory.resolve("control.sock"));
		return directory;
	}

	private static long deadPid() throws Exception {
		Process process = new ProcessBuilder("true").start();
		process.waitFor();
		return process.pid();
	}

}
