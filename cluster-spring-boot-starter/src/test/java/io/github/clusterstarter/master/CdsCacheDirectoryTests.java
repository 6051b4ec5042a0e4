package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CdsCacheDirectory}.
 */
class CdsCacheDirectoryTests {

	@TempDir
	Path temp;

	@Test
	void defaultsToTheUserCacheDirectory() throws IOException {
		Path home = Files.createDirectory(this.temp.resolve("home"));
		assertThat(CdsCacheDirectory.defaultLocation(null, home.toString(), "/tmp"))
			.isEqualTo(home.resolve(".cache/boot-cluster-cds"));
		assertThat(CdsCacheDirectory.defaultLocation("/var/cache/app", home.toString(), "/tmp"))
			.isEqualTo(Path.of("/var/cache/app/boot-cluster-cds"));
	}

	@Test
	void defaultsToAPerUserTemporaryDirectoryWithoutAHome() throws IOException {
		assertThat(CdsCacheDirectory.defaultLocation(null, "?", "/tmp"))
			.isEqualTo(Path.of("/tmp/boot-cluster-cds-" + PrivateDirectory.currentUid()));
		assertThat(CdsCacheDirectory.defaultLocation(null, this.temp.resolve("nonexistent/home").toString(), "/tmp"))
			.isEqualTo(Path.of("/tmp/boot-cluster-cds-" + PrivateDirectory.currentUid()));
	}

}
