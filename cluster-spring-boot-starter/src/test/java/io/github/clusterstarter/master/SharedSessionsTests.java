package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SharedSessions}.
 */
class SharedSessionsTests {

	@TempDir
	Path temp;

	@Test
	void keepsTheSessionsOfAPortInAPrivateDirectoryNamedAfterIt() throws IOException {
		Path sessions = SharedSessions.open(strict(this.temp.resolve("sessions")), 8080);
		assertThat(sessions).isEqualTo(this.temp.resolve("sessions/8080"));
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sessions))).isEqualTo("rwx------");
	}

	@Test
	void noDirectoryWhenWorkersDoNotShareSessions() {
		assertThat(SharedSessions.open(null, 8080)).isNull();
	}

	@Test
	void aDirectoryOfAnotherUserStopsTheStartWithTheWayOut() throws IOException {
		Path planted = Files.createDirectories(this.temp.resolve("sessions/8080"));
		Files.setOwner(planted, PrivateDirectoryTests.nobody());
		assertThatExceptionOfType(ClusterConfigurationException.class)
			.isThrownBy(() -> SharedSessions.open(strict(this.temp.resolve("sessions")), 8080))
			.withMessageContaining("The workers cannot share HTTP sessions")
			.withMessageContaining("belongs to nobody")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("cluster.sessions.directory")
				.contains("cluster.sessions.shared=false"));
	}

	@Test
	void anEmptyDirStopsTheStartNamingTheOptInWhichLetsItBeUsed() throws IOException {
		// As Kubernetes creates an emptyDir volume, here on /tmp: root's, mode 0777, not sticky
		Path emptyDir = Files.createDirectory(this.temp.resolve("tmp"));
		Files.setPosixFilePermissions(emptyDir, PosixFilePermissions.fromString("rwxrwxrwx"));
		Path parent = SharedSessions.defaultLocation(emptyDir.toString());
		assertThatExceptionOfType(ClusterConfigurationException.class)
			.isThrownBy(() -> SharedSessions.open(strict(parent), 8080))
			.withMessageContaining("is writable by its group or others and not sticky (mode 0777)")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("cluster.sessions.trust-writable-parents=true"));
		Path sessions = SharedSessions.open(new PrivateDirectory.Location(parent, true), 8080);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sessions))).isEqualTo("rwx------");
	}

	@Test
	void defaultsToAPerUserDirectoryInTheTemporaryDirectory() throws IOException {
		assertThat(SharedSessions.defaultLocation("/tmp"))
			.isEqualTo(Path.of("/tmp/boot-cluster-sessions-" + PrivateDirectory.currentUid()));
	}

	@Test
	void aDirectoryWithoutSessionsIsRemovedAndOneWithSessionsKept() throws IOException {
		Path unused = SharedSessions.open(strict(this.temp.resolve("sessions")), 8080);
		Files.createFile(unused.resolve(".lock"));
		Files.createFile(unused.resolve(".versions"));
		SharedSessions.removeIfUnused(unused);
		assertThat(unused).doesNotExist();
		Path used = SharedSessions.open(strict(this.temp.resolve("sessions")), 8081);
		Files.createFile(used.resolve(".lock"));
		Files.createFile(used.resolve("0f7c9a3e-5b1d-4c2a-9e8f-2a6b1c3d4e5f"));
		SharedSessions.removeIfUnused(used);
		assertThat(used.resolve(".lock")).exists();
		assertThat(used.resolve("0f7c9a3e-5b1d-4c2a-9e8f-2a6b1c3d4e5f")).exists();
	}

	private static PrivateDirectory.Location strict(Path parent) {
		return new PrivateDirectory.Location(parent, false);
	}

}
