package io.github.clusterstarter.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ControlDirectory}: a master killed with {@code kill -9} leaves its
 * directory behind, and the next master deletes it, and nothing else: not a directory
 * whose socket is listened on, whatever pid its name carries.
 */
class ControlDirectoryTests {

	@TempDir
	Path temp;

	private ServerSocketChannel listening;

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
		Path dead = leftover("boot-cluster-4242-1", false);
		Path live = leftover("boot-cluster-4243-2", true);
		Path notOurs = leftover("boot-cluster-4244-3", false);
		UserPrincipal nobody = this.temp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
		Files.setOwner(notOurs, nobody);
		Path target = Files.createDirectory(this.temp.resolve("target"));
		Path link = Files.createSymbolicLink(this.temp.resolve("boot-cluster-4245-4"), target);
		Path otherName = leftover("boot-cluster-12345", false);
		Path withOtherContent = leftover("boot-cluster-4246-5", false);
		Files.writeString(withOtherContent.resolve("keep.txt"), "not a control socket");
		Path starting = Files.createDirectory(this.temp.resolve("boot-cluster-4247-6"));
		try {
			ControlDirectory created = ControlDirectory.create(this.temp);
			assertThat(dead).doesNotExist();
			assertThat(live.resolve("control.sock")).exists();
			assertThat(notOurs).exists();
			assertThat(link).exists();
			assertThat(target).exists();
			assertThat(otherName).exists();
			assertThat(withOtherContent.resolve("keep.txt")).exists();
			assertThat(starting).as("a master that has not bound its socket yet").exists();
			assertThat(created.path()).exists();
		}
		finally {
			this.listening.close();
		}
	}

	/**
	 * A directory with a control socket that a master is listening on, or that a master
	 * that is gone left behind (the file stays when the listener goes away).
	 */
	private Path leftover(String name, boolean listening) throws IOException {
		Path directory = Files.createDirectory(this.temp.resolve(name));
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		server.bind(UnixDomainSocketAddress.of(directory.resolve("control.sock")));
		if (listening) {
			this.listening = server;
		}
		else {
			server.close();
		}
		return directory;
	}

}
