package io.github.clusterstarter.master;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class ClassDataSharingTests {

	static final String ARCHIVE = (Runtime.version().feature() >= 25) ? "app.aot" : "app.jsa";

	private static final String ARCHIVE_OPTION = (Runtime.version().feature() >= 25) ? "-XX:AOTCache="
			: "-XX:SharedArchiveFile=";

	@TempDir
	Path temp;

	CapturedOutput output;

	@BeforeEach
	void captureOutput(CapturedOutput output) {
		this.output = output;
	}

	@Test
	void appliesToBootJar() throws IOException {
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		ClassDataSharing sharing = ClassDataSharing.of(command(List.of("-Xmx256m"), "-jar", jar.toString()),
				List.of(), strict(this.temp.resolve("cache")));
		assertThat(sharing).isNotNull();
		assertThat(sharing.jar()).isEqualTo(jar.toAbsolutePath().toFile());
	}

	@Test
	void doesNotApplyToPlainJar() throws IOException {
		Path jar = jar("plain.jar", "com/example/App.class");
		assertThat(ClassDataSharing.of(command(List.of(), "-jar", jar.toString()), List.of(), strict(this.temp)))
			.isNull();
	}

	@Test
	void doesNotApplyToClassPathLaunch() {
		assertThat(ClassDataSharing.of(command(List.of("-cp", "a.jar"), "com.example.App"), List.of(),
				strict(this.temp)))
			.isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "-XX:SharedArchiveFile=app.jsa", "-XX:ArchiveClassesAtExit=app.jsa",
			"-XX:+AutoCreateSharedArchive", "-XX:AOTCache=app.aot", "-XX:AOTMode=off", "-Xshare:off" })
	void leavesClassDataSharingTheUserConfiguredAlone(String option) throws IOException {
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		assertThat(ClassDataSharing.of(command(List.of(option), "-jar", jar.toString()), List.of(), strict(this.temp)))
			.isNull();
	}

	@Test
	void firstWorkersUseAnArchiveAlreadyTrainedForTheSameJar() throws IOException {
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		Path cache = this.temp.resolve("cache");
		ClassDataSharing sharing = ClassDataSharing.of(command(List.of("-Xmx256m"), "-jar", jar.toString()),
				List.of(), strict(cache));
		String key = sharing.key();
		publish(cache.resolve(key));
		WorkerCommand worker = sharing.workerCommand();
		assertThat(worker.jvmOptions()).containsExactly("-Xmx256m",
				ARCHIVE_OPTION + cache.resolve(key).resolve(ARCHIVE));
		assertThat(worker.target()).containsExactly("-jar", cache.resolve(key).resolve("app/app.jar").toString());
		sharing.close();
	}

	@Test
	void archiveDeletedUnderARunningClusterFallsBackToTheJar() throws IOException {
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		Path cache = this.temp.resolve("cache");
		WorkerCommand plain = command(List.of(), "-jar", jar.toString());
		ClassDataSharing sharing = ClassDataSharing.of(plain, List.of(), strict(cache));
		publish(cache.resolve(sharing.key()));
		assertThat(sharing.workerCommand()).isNotEqualTo(plain);
		FileSystemUtils.deleteRecursively(cache);
		assertThat(sharing.workerCommand()).isEqualTo(plain);
		assertThat(sharing.workerCommand()).isEqualTo(plain);
		sharing.close();
	}

	@Test
	void archiveWhoseExtractedJarIsDeletedIsNoLongerUsed() throws IOException {
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		Path cache = this.temp.resolve("cache");
		WorkerCommand plain = command(List.of(), "-jar", jar.toString());
		ClassDataSharing sharing = ClassDataSharing.of(plain, List.of(), strict(cache));
		Path directory = cache.resolve(sharing.key());
		publish(directory);
		assertThat(sharing.workerCommand()).isNotEqualTo(plain);
		Files.delete(directory.resolve("app/app.jar"));
		assertThat(sharing.workerCommand()).isEqualTo(plain);
		sharing.close();
	}

	@Test
	void archivePlantedInACacheDirectoryThatAnotherUserCreatedFirstIsNeverUsed() throws IOException {
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		Path cache = this.temp.resolve("cache");
		String key = ClassDataSharing
			.of(command(List.of(), "-jar", jar.toString()), List.of(), strict(this.temp.resolve("own")))
			.key();
		publish(cache.resolve(key));
		Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
		try (Stream<Path> files = Files.walk(cache)) {
			for (Path file : files.toList()) {
				Files.setOwner(file, PrivateDirectoryTests.nobody());
			}
		}
		assertThat(ClassDataSharing.of(command(List.of(), "-jar", jar.toString()), List.of(), strict(cache))).isNull();
		assertThat(this.output).contains("Class data sharing is off and workers boot from the jar, because the cache "
				+ "directory is refused: " + cache + " belongs to nobody (uid 65534), not to this user");
	}

	@Test
	void archivePlantedBehindASymbolicLinkIsNeverUsed() throws IOException {
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		Path elsewhere = this.temp.resolve("elsewhere");
		String key = ClassDataSharing.of(command(List.of(), "-jar", jar.toString()), List.of(), strict(elsewhere))
			.key();
		publish(elsewhere.resolve(key));
		Path cache = Files.createSymbolicLink(this.temp.resolve("cache"), elsewhere);
		assertThat(ClassDataSharing.of(command(List.of(), "-jar", jar.toString()), List.of(), strict(cache))).isNull();
	}

	@Test
	void keyFollowsTheContentNotTheModificationTime() throws IOException {
		// Jib and buildpacks give every file of every build the same time
		FileTime fixed = FileTime.fromMillis(1000);
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		Files.setLastModifiedTime(jar, fixed);
		ClassDataSharing sharing = ClassDataSharing.of(command(List.of(), "-jar", jar.toString()), List.of(),
				strict(this.temp.resolve("cache")));
		String before = sharing.key();
		byte[] content = Files.readAllBytes(jar);
		content[content.length - 30]++;
		Files.write(jar, content);
		Files.setLastModifiedTime(jar, fixed);
		String changed = sharing.key();
		assertThat(changed).isNotNull().isNotEqualTo(before);
		Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis()));
		assertThat(sharing.key()).isEqualTo(changed);
	}

	@Test
	void readOnlyCacheWithAReadyArchiveIsUsedByTheFirstWorkersWithoutWritingAnything() throws IOException {
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		Path cache = this.temp.resolve("image-cds");
		WorkerCommand plain = command(List.of(), "-jar", jar.toString());
		String key = ClassDataSharing.of(plain, List.of(), strict(this.temp.resolve("own"))).key();
		publish(cache.resolve(key));
		Map<Path, String> before = snapshot(cache);
		ClassDataSharing sharing = new ClassDataSharing(plain, List.of(), ArchiveStore.readOnly(cache, "app.jar"),
				jar.toFile());
		for (int i = 0; i < 3; i++) {
			WorkerCommand worker = sharing.workerCommand();
			assertThat(worker.jvmOptions()).containsExactly(ARCHIVE_OPTION + cache.resolve(key).resolve(ARCHIVE));
			assertThat(worker.target()).containsExactly("-jar", cache.resolve(key).resolve("app/app.jar").toString());
		}
		sharing.close();
		assertThat(snapshot(cache)).isEqualTo(before);
		assertThat(trainingThreads()).isZero();
		assertThat(this.output).containsOnlyOnce("Using the class data sharing archive in " + cache.resolve(key));
	}

	@Test
	void readOnlyCacheWithoutAnArchiveForTheJarFallsBackToTheJarWithOneWarningAndNoTraining() throws IOException {
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		Path cache = this.temp.resolve("image-cds");
		// An archive of another jar (an older image layer)
		publish(cache.resolve("0123456789abcdef0123456789abcdef"));
		Map<Path, String> before = snapshot(cache);
		WorkerCommand plain = command(List.of(), "-jar", jar.toString());
		ClassDataSharing sharing = new ClassDataSharing(plain, List.of(), ArchiveStore.readOnly(cache, "app.jar"),
				jar.toFile());
		for (int i = 0; i < 3; i++) {
			assertThat(sharing.workerCommand()).isEqualTo(plain);
		}
		sharing.close();
		assertThat(snapshot(cache)).isEqualTo(before);
		assertThat(trainingThreads()).isZero();
		assertThat(this.output).containsOnlyOnce("Class data sharing is off and workers boot from the jar: the "
				+ "read-only cache directory " + cache + " has no usable archive for " + jar.toAbsolutePath());
	}

	@Test
	void readOnlyCacheWhoseExtractedJarOthersCanWriteIsNotUsed() throws IOException {
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		Path cache = this.temp.resolve("image-cds");
		WorkerCommand plain = command(List.of(), "-jar", jar.toString());
		String key = ClassDataSharing.of(plain, List.of(), strict(this.temp.resolve("own"))).key();
		publish(cache.resolve(key));
		Files.setPosixFilePermissions(cache.resolve(key).resolve("app/app.jar"),
				PosixFilePermissions.fromString("rw-rw-rw-"));
		ClassDataSharing sharing = new ClassDataSharing(plain, List.of(), ArchiveStore.readOnly(cache, "app.jar"),
				jar.toFile());
		assertThat(sharing.workerCommand()).isEqualTo(plain);
		assertThat(sharing.workerCommand()).isEqualTo(plain);
		sharing.close();
		assertThat(this.output).containsOnlyOnce("The class data sharing archive in " + cache.resolve(key)
				+ " is not used: " + cache.resolve(key).resolve("app/app.jar")
				+ " is writable by its group or others (mode 0666)");
	}

	@Test
	void emptyDirRefusalNamesTheOptIn() throws IOException {
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		Path emptyDir = Files.createDirectory(this.temp.resolve("volume"));
		Files.setPosixFilePermissions(emptyDir, PosixFilePermissions.fromString("rwxrwxrwx"));
		WorkerCommand plain = command(List.of(), "-jar", jar.toString());
		assertThat(ClassDataSharing.of(plain, List.of(), strict(emptyDir.resolve("cds")))).isNull();
		assertThat(this.output).contains("as a Kubernetes emptyDir is. If only this pod's containers can write to it "
				+ "(a Kubernetes emptyDir), set cluster.worker.cds.trust-writable-parents=true");
		ClassDataSharing sharing = ClassDataSharing.of(plain, List.of(),
				new PrivateDirectory.Location(emptyDir.resolve("cds"), true));
		assertThat(sharing).isNotNull();
		sharing.close();
	}

	@Test
	void prepareWithoutABootJarFailsFast() throws IOException {
		Path jar = jar("plain.jar", "com/example/App.class");
		assertThatExceptionOfType(ClusterConfigurationException.class)
			.isThrownBy(() -> ClassDataSharing.prepare(command(List.of(), "-jar", jar.toString()), List.of(),
					strict(this.temp.resolve("cds"))))
			.withMessageContaining("cluster.worker.cds.prepare is set, but class data sharing applies only to");
	}

	@Test
	void prepareLeavesTheArchiveReadableByEveryUserAndWritableByItsOwnerOnly() throws Exception {
		Path jar = jar("app.jar", "BOOT-INF/lib/library.jar");
		Path cache = this.temp.resolve("cds");
		WorkerCommand plain = command(List.of(), "-jar", jar.toString());
		String key = ClassDataSharing.of(plain, List.of(), strict(this.temp.resolve("own"))).key();
		Files.createDirectory(cache, PrivateDirectory.PRIVATE);
		publish(cache.resolve(key));
		Files.setPosixFilePermissions(cache.resolve(key), PosixFilePermissions.fromString("rwx------"));
		Files.setPosixFilePermissions(cache.resolve(key).resolve(ARCHIVE),
				PosixFilePermissions.fromString("rw-------"));
		assertThat(ClassDataSharing.prepare(plain, List.of(), strict(cache))).isEqualTo(cache.resolve(key));
		assertThat(snapshot(cache).values())
			.allMatch((mode) -> mode.startsWith("rwxr-xr-x") || mode.startsWith("rw-r--r--"));
	}

	/**
	 * The mode, size and modification time of every file and directory in a directory.
	 */
	private static Map<Path, String> snapshot(Path directory) throws IOException {
		Map<Path, String> snapshot = new TreeMap<>();
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.toList()) {
				snapshot.put(file, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) + " "
						+ Files.size(file) + " " + Files.getLastModifiedTime(file));
			}
		}
		return snapshot;
	}

	private static long trainingThreads() {
		return Thread.getAllStackTraces().keySet().stream()
			.filter((thread) -> thread.getName().equals("cluster-cds-training"))
			.count();
	}

	/**
	 * Lay out a published archive as a training run would have left it.
	 */
	static void publish(Path directory) throws IOException {
		Files.createDirectories(directory.resolve("app/lib"));
		Files.writeString(directory.resolve("app/app.jar"), "jar");
		Files.writeString(directory.resolve(ARCHIVE), "archive");
		Files.writeString(directory.resolve("lock"), "");
		Files.writeString(directory.resolve("ready"), directory.getFileName().toString());
	}

	private static PrivateDirectory.Location strict(Path path) {
		return new PrivateDirectory.Location(path, false);
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
