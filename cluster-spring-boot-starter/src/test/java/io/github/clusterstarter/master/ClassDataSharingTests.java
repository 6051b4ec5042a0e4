package io.github.clusterstarter.master;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ClassDataSharingTests {

	@TempDir
	Path temp;

	@Test
	void appliesToBootJar() throws IOException {
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		ClassDataSharing sharing = ClassDataSharing.of(command(List.of("-Xmx256m"), "-jar", jar.toString()),
				List.of(), this.temp.resolve("cache"));
		assertThat(sharing).isNotNull();
		assertThat(sharing.jar()).isEqualTo(jar.toAbsolutePath().toFile());
	}

	@Test
	void doesNotApplyToPlainJar() throws IOException {
		Path jar = jar("plain.jar", "com/example/App.class");
		assertThat(ClassDataSharing.of(command(List.of(), "-jar", jar.toString()), List.of(), this.temp)).isNull();
	}

	@Test
	void doesNotApplyToClassPathLaunch() {
		assertThat(ClassDataSharing.of(command(List.of("-cp", "a.jar"), "com.example.App"), List.of(), this.temp))
			.isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "-XX:SharedArchiveFile=app.jsa", "-XX:ArchiveClassesAtExit=app.jsa",
			"-XX:+AutoCreateSharedArchive", "-XX:AOTCache=app.aot", "-XX:AOTMode=off", "-Xshare:off" })
	void leavesClassDataSharingTheUserConfiguredAlone(String option) throws IOException {
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		assertThat(ClassDataSharing.of(command(List.of(option), "-jar", jar.toString()), List.of(), this.temp))
			.isNull();
	}

	@Test
	void firstWorkersUseAnArchiveAlreadyTrainedForTheSameJar() throws IOException {
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		Path cache = this.temp.resolve("cache");
		ClassDataSharing sharing = ClassDataSharing.of(command(List.of("-Xmx256m"), "-jar", jar.toString()),
				List.of(), cache);
		String key = sharing.key();
		Files.createDirectories(cache.resolve(key));
		Files.writeString(cache.resolve(key).resolve("ready"), key);
		WorkerCommand worker = sharing.workerCommand();
		String archive = (Runtime.version().feature() >= 25) ? "-XX:AOTCache=" + cache.resolve(key).resolve("app.aot")
				: "-XX:SharedArchiveFile=" + cache.resolve(key).resolve("app.jsa");
		assertThat(worker.jvmOptions()).containsExactly("-Xmx256m", archive);
		assertThat(worker.target()).containsExactly("-jar", cache.resolve(key).resolve("app/app.jar").toString());
	}

	@Test
	void keyChangesWithTheJar() throws IOException {
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		ClassDataSharing sharing = ClassDataSharing.of(command(List.of(), "-jar", jar.toString()), List.of(),
				this.temp.resolve("cache"));
		String before = sharing.key();
		Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
		assertThat(sharing.key()).isNotNull().isNotEqualTo(before);
	}

	private static WorkerCommand command(List<String> options, String... target) {
		return new WorkerCommand("java", options, List.of(target), List.of());
	}

	private Path jar(String name, String entry) throws IOException {
		Path jar = this.temp.resolve(name);
		try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
			zip.putNextEntry(new ZipEntry(entry));
			zip.write(new byte[] { 1 });
			zip.closeEntry();
		}
		return jar;
	}

}
