package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ArchiveStore}, with real files and locks.
 */
class ArchiveStoreTests {

	@TempDir
	Path cache;

	@Test
	void publishesByRenamingSoNothingIsSeenHalfWritten() throws IOException {
		ArchiveStore store = new ArchiveStore(this.cache, "app.jar");
		try (FileChannel lock = store.lockExclusively()) {
			Path directory = store.prepare("k1");
			Files.createDirectories(directory.resolve("app/lib"));
			Files.writeString(store.extractedJar("k1"), "jar");
			Files.writeString(store.trainingOutput("k1"), "archive");
			assertThat(store.isReady("k1")).isFalse();
			store.publish("k1", store.trainingOutput("k1"));
		}
		assertThat(store.isReady("k1")).isTrue();
		assertThat(store.archive("k1")).hasContent("archive");
		assertThat(this.cache.resolve("k1/ready")).hasContent("k1");
		try (Stream<Path> files = Files.list(this.cache.resolve("k1"))) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.noneMatch((name) -> name.endsWith(".tmp") || name.startsWith("training-"));
		}
	}

	@Test
	void prepareStartsAnUnfinishedDirectoryOver() throws IOException {
		ArchiveStore store = new ArchiveStore(this.cache, "app.jar");
		Files.createDirectories(this.cache.resolve("k1/app"));
		Files.writeString(this.cache.resolve("k1/app/app.jar"), "half");
		try (FileChannel lock = store.lockExclusively()) {
			store.prepare("k1");
		}
		try (Stream<Path> files = Files.list(this.cache.resolve("k1"))) {
			assertThat(files.map((file) -> file.getFileName().toString())).containsExactly("lock");
		}
	}

	@Test
	void keepsTheKeysInUseAndTheMostRecentlyUsedOthers() throws IOException {
		for (int i = 1; i <= 5; i++) {
			String key = "k" + i;
			ClassDataSharingTests.publish(this.cache.resolve(key));
			Files.setLastModifiedTime(this.cache.resolve(key).resolve("lock"), FileTime.fromMillis(i * 1000L));
		}
		Files.createDirectories(this.cache.resolve("left-by-an-earlier-version"));
		Files.setLastModifiedTime(this.cache.resolve("left-by-an-earlier-version"), FileTime.fromMillis(500));
		ArchiveStore otherMaster = new ArchiveStore(this.cache, "app.jar");
		ArchiveStore store = new ArchiveStore(this.cache, "app.jar");
		try {
			// Another master's workers still run the oldest one
			assertThat(otherMaster.use("k1")).isTrue();
			assertThat(store.use("k5")).isTrue();
			store.removeUnused();
			try (Stream<Path> files = Files.list(this.cache)) {
				assertThat(files.map((file) -> file.getFileName().toString())).containsExactlyInAnyOrder("k1", "k4",
						"k3", "k5");
			}
		}
		finally {
			store.close();
			otherMaster.close();
		}
	}

}
