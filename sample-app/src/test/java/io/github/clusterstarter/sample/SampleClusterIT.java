package io.github.clusterstarter.sample;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.metrics.PrometheusText;
import io.github.clusterstarter.test.ClusterLauncher;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.RunningCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the packaged sample application with {@code java -jar}, as a user would, a
 * cluster of its own for each test.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class SampleClusterIT {

	private RunningCluster cluster;

	private RunningCluster otherCluster;

	@AfterEach
	void stopCluster() {
		for (RunningCluster cluster : Arrays.asList(this.cluster, this.otherCluster)) {
			if (cluster != null) {
				cluster.close();
			}
		}
	}

	@TempDir
	Path temp;

	@Test
	void deployingANewJarAndRollingPutsEveryWorkerOnIt() throws Exception {
		Path jar = this.temp.resolve("app.jar");
		Files.copy(sampleJar().toPath(), jar);
		FileTime oldVersion = FileTime.fromMillis(System.currentTimeMillis() - 120_000);
		Files.setLastModifiedTime(jar, oldVersion);
		this.cluster = ClusterLauncher.forJar(jar)
			.withProperties("cluster.worker.cds.directory=" + this.temp.resolve("cds"))
			.start();
		int port = this.cluster.port();
		assertThat(jarTimes(port)).containsOnly(oldVersion.toMillis());
		// The deploy recipe: copy beside the running jar, then rename over it atomically
		Path upload = this.temp.resolve("app.jar.new");
		Files.copy(sampleJar().toPath(), upload);
		FileTime newVersion = FileTime.fromMillis(oldVersion.toMillis() + 60_000);
		Files.setLastModifiedTime(upload, newVersion);
		Files.move(upload, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		startRollingRestart(port);
		await().atMost(Duration.ofSeconds(120))
			.until(() -> "SUCCEEDED".equals(JsonPath.read(RawHttp.get(port, "/actuator/cluster").body(),
					"$.rollout.state")));
		assertThat(jarTimes(port)).hasSize(2).containsOnly(newVersion.toMillis());
	}

	@Test
	void workersStartedAfterTheTrainingRunUseTheClassDataSharingArchive() throws Exception {
		Path cds = this.temp.resolve("cds");
		ClusterLauncher launcher = ClusterLauncher.forJar(sampleJar().toPath())
			.withProperties("cluster.worker.cds.directory=" + cds);
		this.cluster = launcher.start();
		int port = this.cluster.port();
		this.cluster.awaitLine("Class data sharing archive ready", Duration.ofSeconds(120));
		startRollingRestart(port);
		await().atMost(Duration.ofSeconds(120))
			.until(() -> "SUCCEEDED".equals(JsonPath.read(RawHttp.get(port, "/actuator/cluster").body(),
					"$.rollout.state")));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.cluster.workerProcesses().size() == 2);
		// Java 25 and later get an AOT cache, earlier versions a dynamic CDS archive
		String option = (Runtime.version().feature() >= 25) ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
		assertThat(this.cluster.workerProcesses()).hasSize(2).allSatisfy((worker) -> assertThat(
				RunningCluster.commandLine(worker.pid()))
			.anyMatch((argument) -> argument.startsWith(option + cds)));
		assertThat(JsonPath.<List<String>>read(RawHttp.get(port, "/actuator/cluster").body(), "$.workers[*].build.jar"))
			.containsOnly(sampleJar().getAbsolutePath());
		assertThat(RawHttp.get(port, "/whoami").status()).isEqualTo(200);
		// The next master for the same jar starts its very first workers with the archive
		this.cluster.close();
		this.cluster = launcher.start();
		assertThat(this.cluster.output()).doesNotContain("Class data sharing archive ready");
		assertThat(this.cluster.workerProcesses()).hasSize(2).allSatisfy((worker) -> assertThat(
				RunningCluster.commandLine(worker.pid()))
			.anyMatch((argument) -> argument.startsWith(option + cds)));
	}

	@Test
	void aTrainingRunWithWarmupServesTheWarmupRequestsOnAPrivatePortBeforeItWritesTheArchive() throws Exception {
		Path cds = this.temp.resolve("cds");
		try (RunningCluster build = ClusterLauncher.forJar(sampleJar().toPath())
			.withProperties("cluster.worker.cds.directory=" + cds, "cluster.worker.cds.prepare=true",
					"cluster.worker.cds.train-with-warmup=true")
			.startWithoutWaiting()) {
			assertThat(build.awaitExit(Duration.ofSeconds(180))).isZero();
			assertThat(build.output()).contains("Class data sharing archive prepared in " + cds);
		}
		String training = Files.readString(cds.resolve(keyOf(cds)).resolve("training-run.log"));
		// The sample warms up /hello, /whoami and /greeting, 500 times each
		assertThat(training).containsPattern("started on port \\d+ \\(http\\)")
			.doesNotContain("started on port 8080")
			.contains("Warmed up in")
			.contains("1500 request(s) answered");
	}

	/**
	 * The image build step runs as root; the image runs as {@code nobody} on a read-only
	 * root file system (a read-only bind mount of the cache in a mount namespace of its
	 * own) with its temporary directory on an emptyDir. The first workers boot from the
	 * archive, with no training run, and nothing in the cache changes. A jar the cache has
	 * no archive for boots from the jar.
	 */
	@Test
	void archivePreparedAtImageBuildTimeIsUsedReadOnlyByTheFirstWorkersOfAnotherUser() throws Exception {
		// The image's file system: every user may read it, only root write to it
		Files.setPosixFilePermissions(this.temp, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path jar = this.temp.resolve("app.jar");
		Files.copy(sampleJar().toPath(), jar);
		Path cds = this.temp.resolve("cds");
		try (RunningCluster build = ClusterLauncher.forJar(jar)
			.withProperties("cluster.worker.cds.directory=" + cds, "cluster.worker.cds.prepare=true")
			.startWithoutWaiting()) {
			assertThat(build.awaitExit(Duration.ofSeconds(120))).isZero();
			assertThat(build.output()).contains("Class data sharing archive prepared in " + cds);
		}
		String key = keyOf(cds);
		Map<String, String> prepared = describeRecursively(cds);
		assertThat(prepared.get("")).startsWith("rwxr-xr-x uid 0");
		// The pod's /tmp, an emptyDir: root's, mode 0777, not sticky
		Path emptyDir = Files.createDirectory(this.temp.resolve("tmp"));
		Files.setPosixFilePermissions(emptyDir, PosixFilePermissions.fromString("rwxrwxrwx"));
		ClusterLauncher asNobodyOnAReadOnlyFileSystem = ClusterLauncher.forJar(jar)
			.withWorkers(1)
			.withJvmArgs("-Djava.io.tmpdir=" + emptyDir)
			.withProperties("cluster.worker.cds.directory=" + cds, "cluster.sessions.trust-writable-parents=true")
			.withCommandPrefix("unshare", "--mount", "sh", "-c",
					"mount --bind \"$0\" \"$0\" && mount -o remount,ro,bind \"$0\" && exec setpriv --reuid=nobody "
							+ "--regid=nogroup --clear-groups \"$@\"",
					cds.toString());
		this.cluster = asNobodyOnAReadOnlyFileSystem.start();
		assertThat(this.cluster.output()).contains("Using the class data sharing archive in " + cds.resolve(key))
			.doesNotContain("Class data sharing archive ready")
			.doesNotContain("Workers will boot without a class data sharing archive");
		assertThat(this.cluster.workerProcesses()).hasSize(1).allSatisfy((worker) -> {
			assertThat(worker.info().user()).hasValue("nobody");
			assertThat(RunningCluster.commandLine(worker.pid()))
				.contains(archiveOption() + cds.resolve(key).resolve(archiveFile()))
				.containsSequence("-jar", cds.resolve(key).resolve("app/app.jar").toString());
			// The JVM mapped it: it accepted the archive, rather than warning and booting without it
			assertThat(Files.readAllLines(Path.of("/proc", Long.toString(worker.pid()), "maps")))
				.anyMatch((mapping) -> mapping.endsWith(cds.resolve(key).resolve(archiveFile()).toString()));
		});
		assertThat(this.cluster.processes()).as("no extraction or training run")
			.allSatisfy((process) -> assertThat(RunningCluster.commandLine(process.pid()))
				.noneMatch((argument) -> argument.startsWith("-XX:ArchiveClassesAtExit")
						|| argument.startsWith("-XX:AOTCacheOutput") || argument.equals("-Djarmode=tools")));
		assertThat(RawHttp.get(this.cluster.port(), "/whoami").status()).isEqualTo(200);
		assertThat(emptyDir.resolve("boot-cluster-sessions-65534").resolve(Integer.toString(this.cluster.port())))
			.as("the shared sessions in the emptyDir")
			.isDirectory();
		this.cluster.close();
		// Another jar: the read-only cache has no archive for it
		Path other = this.temp.resolve("other.jar");
		Files.copy(jar, other);
		this.cluster = ClusterLauncher.forJar(other)
			.withWorkers(1)
			.withProperties("cluster.worker.cds.directory=" + cds)
			.withCommandPrefix("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups")
			.start();
		assertThat(this.cluster.output()).containsOnlyOnce("Class data sharing is off and workers boot from the jar: "
				+ "the read-only cache directory " + cds + " has no usable archive for " + other);
		assertThat(this.cluster.workerProcesses()).hasSize(1)
			.allSatisfy((worker) -> assertThat(RunningCluster.commandLine(worker.pid())).containsSequence("-jar",
					other.toString()));
		this.cluster.close();
		assertThat(describeRecursively(cds)).as("nothing in the cache changed").isEqualTo(prepared);
	}

	/**
	 * Describe every file and directory below a directory: mode, owner, size and
	 * modification time, by path relative to it.
	 */
	private static Map<String, String> describeRecursively(Path directory) throws IOException {
		Map<String, String> described = new TreeMap<>();
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.toList()) {
				described.put(directory.relativize(file).toString(),
						PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) + " uid "
								+ Files.getAttribute(file, "unix:uid") + " " + Files.size(file) + " "
								+ Files.getLastModifiedTime(file));
			}
		}
		return described;
	}

	private static String archiveFile() {
		return (Runtime.version().feature() >= 25) ? "app.aot" : "app.jsa";
	}

	@ParameterizedTest
	@ValueSource(strings = { "owned by nobody, mode 0777", "ours, mode 0777", "a symbolic link" })
	void plantedCacheDirectoryIsRefusedAndItsJarNeverRuns(String planted) throws Exception {
		String key = keyOfTheSampleJar();
		Path cds = this.temp.resolve("planted-cds");
		Path layout = cds;
		if (planted.equals("a symbolic link")) {
			layout = this.temp.resolve("elsewhere");
			Files.createSymbolicLink(cds, layout);
		}
		plantArchive(layout.resolve(key));
		if (planted.startsWith("owned by nobody")) {
			UserPrincipal nobody = cds.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
			try (Stream<Path> files = Files.walk(cds)) {
				for (Path file : files.toList()) {
					Files.setOwner(file, nobody);
				}
			}
		}
		if (planted.endsWith("mode 0777")) {
			Files.setPosixFilePermissions(cds, PosixFilePermissions.fromString("rwxrwxrwx"));
		}
		List<Path> plantedFiles = listRecursively(layout);
		this.cluster = ClusterLauncher.forJar(sampleJar().toPath())
			.withWorkers(1)
			.withProperties("cluster.worker.cds.directory=" + cds)
			.start();
		int port = this.cluster.port();
		assertThat(this.cluster.output())
			.contains("Class data sharing is off and workers boot from the jar, because the cache directory is "
					+ "refused: " + cds)
			.doesNotContain("PWNED");
		assertThat(this.cluster.workerProcesses()).hasSize(1)
			.allSatisfy((worker) -> assertThat(RunningCluster.commandLine(worker.pid()))
				.containsSequence("-jar", sampleJar().getAbsolutePath())
				.noneMatch((argument) -> argument.startsWith(archiveOption())));
		assertThat(RawHttp.get(port, "/whoami").status()).isEqualTo(200);
		assertThat(listRecursively(layout)).as("the master wrote nothing there").isEqualTo(plantedFiles);
	}

	@Test
	void twoMastersOfTheSameJarStartingAtOnceWithAnEmptyCacheBothServeAndShareOneArchive() throws Exception {
		Path cds = this.temp.resolve("cds");
		ClusterLauncher launcher = ClusterLauncher.forJar(sampleJar().toPath())
			.withWorkers(1)
			.withProperties("cluster.worker.cds.directory=" + cds);
		this.cluster = launcher.startWithoutWaiting();
		this.otherCluster = launcher.startWithoutWaiting();
		this.cluster.awaitReady();
		this.otherCluster.awaitReady();
		int port = this.cluster.port();
		int otherPort = this.otherCluster.port();
		assertThat(RawHttp.get(port, "/whoami").status()).isEqualTo(200);
		assertThat(RawHttp.get(otherPort, "/whoami").status()).isEqualTo(200);
		// One trains while the other waits for the lock, then finds the archive ready
		await().atMost(Duration.ofSeconds(180))
			.until(() -> Stream.of(this.cluster, this.otherCluster)
				.allMatch((cluster) -> cluster.output().contains("Class data sharing archive ready in")
						|| cluster.output().contains("Class data sharing archive trained by another master")));
		String output = this.cluster.output() + "\n" + this.otherCluster.output();
		assertThat(output).containsOnlyOnce("Class data sharing archive ready in")
			.containsOnlyOnce("Class data sharing archive trained by another master")
			.doesNotContain("Workers will boot without a class data sharing archive");
		try (Stream<Path> keys = Files.list(cds)) {
			assertThat(keys.map((key) -> key.getFileName().toString())).containsExactlyInAnyOrder(".lock",
					keyOf(cds));
		}
		for (RunningCluster cluster : List.of(this.cluster, this.otherCluster)) {
			int clusterPort = cluster.port();
			startRollingRestart(clusterPort);
			await().atMost(Duration.ofSeconds(120))
				.until(() -> "SUCCEEDED".equals(JsonPath.read(RawHttp.get(clusterPort, "/actuator/cluster").body(),
						"$.rollout.state")));
			await().atMost(Duration.ofSeconds(30)).until(() -> cluster.workerProcesses().size() == 1);
			assertThat(RunningCluster.commandLine(cluster.workerProcesses().get(0).pid()))
				.anyMatch((argument) -> argument.startsWith(archiveOption() + cds));
			assertThat(RawHttp.get(clusterPort, "/whoami").status()).isEqualTo(200);
		}
	}

	@Test
	void cacheDeletedUnderARunningClusterThenAWorkerKilledIsReplacedFromTheJar() throws Exception {
		Path cds = this.temp.resolve("cds");
		this.cluster = ClusterLauncher.forJar(sampleJar().toPath())
			.withWorkers(1)
			.withProperties("cluster.worker.cds.directory=" + cds)
			.start();
		int port = this.cluster.port();
		this.cluster.awaitLine("Class data sharing archive ready", Duration.ofSeconds(180));
		long first = killWorkerAndAwaitReplacement(port);
		assertThat(RunningCluster.commandLine(first))
			.anyMatch((argument) -> argument.startsWith(archiveOption() + cds));
		FileSystemUtils.deleteRecursively(cds);
		long second = killWorkerAndAwaitReplacement(port);
		assertThat(RunningCluster.commandLine(second)).containsSequence("-jar", sampleJar().getAbsolutePath())
			.noneMatch((argument) -> argument.startsWith(archiveOption()));
		assertThat(this.cluster.output()).contains("archive in " + cds)
			.contains("is gone; workers boot from the jar")
			.doesNotContain("Giving up");
		assertThat(ProcessHandle.of(this.cluster.masterPid())).hasValueSatisfying(
				(master) -> assertThat(master.isAlive()).isTrue());
		assertThat(RawHttp.get(port, "/whoami").status()).isEqualTo(200);
	}

	@Test
	void trainingRunStopsWithTheMaster() throws Exception {
		this.cluster = ClusterLauncher.forJar(sampleJar().toPath())
			.withWorkers(1)
			.withProperties("cluster.worker.cds.directory=" + this.temp.resolve("cds"))
			.startWithoutWaiting();
		ProcessHandle training = await().atMost(Duration.ofSeconds(60))
			.until(() -> this.cluster.processes()
				.stream()
				.filter((process) -> process.pid() != this.cluster.masterPid())
				.filter((process) -> RunningCluster.commandLine(process.pid())
					.stream()
					.anyMatch((argument) -> argument.startsWith("-XX:ArchiveClassesAtExit=")
							|| argument.startsWith("-XX:AOTCacheOutput=")))
				.findFirst(), Optional::isPresent)
			.orElseThrow();
		this.cluster.signalMaster("TERM");
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isZero();
		await().atMost(Duration.ofSeconds(5)).until(() -> !training.isAlive());
		assertThat(this.cluster.processes()).isEmpty();
	}

	/**
	 * Kill the one worker with {@code kill -9} and wait until its replacement serves.
	 * @return the replacement's pid
	 */
	private long killWorkerAndAwaitReplacement(int port) throws IOException {
		long killed = JsonPath.<Integer>read(RawHttp.get(port, "/actuator/cluster").body(), "$.workers[0].pid");
		ProcessHandle.of(killed).ifPresent(ProcessHandle::destroyForcibly);
		// Nobody answers while the only worker boots
		return await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
			String status = RawHttp.get(port, "/actuator/cluster").body();
			long pid = JsonPath.<Integer>read(status, "$.workers[0].pid");
			return (pid != killed && "READY".equals(JsonPath.read(status, "$.workers[0].state"))) ? pid : null;
		}, (pid) -> pid != null);
	}

	/**
	 * Learn the name of the sample jar's directory in a cache, as anyone who has the jar
	 * can: start a master, and stop it once its training run created the directory.
	 */
	private String keyOfTheSampleJar() throws IOException {
		Path cds = this.temp.resolve("learn-the-key");
		try (RunningCluster learning = ClusterLauncher.forJar(sampleJar().toPath())
			.withWorkers(1)
			.withProperties("cluster.worker.cds.directory=" + cds)
			.startWithoutWaiting()) {
			return await().atMost(Duration.ofSeconds(60)).until(() -> Files.isDirectory(cds) ? keyOf(cds) : null,
					(key) -> key != null);
		}
	}

	private static String keyOf(Path cds) throws IOException {
		try (Stream<Path> entries = Files.list(cds)) {
			return entries.filter(Files::isDirectory).map((entry) -> entry.getFileName().toString()).findFirst()
				.orElse(null);
		}
	}

	/**
	 * Lay out what a trained archive looks like, with a jar that prints "PWNED" in place
	 * of the extracted application.
	 */
	private static void plantArchive(Path directory) throws IOException {
		Files.createDirectories(directory.resolve("app/lib"));
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, PwnedMain.class.getName());
		String entry = PwnedMain.class.getName().replace('.', '/') + ".class";
		try (JarOutputStream jar = new JarOutputStream(
				Files.newOutputStream(directory.resolve("app").resolve(sampleJar().getName())), manifest);
				InputStream bytes = PwnedMain.class.getClassLoader().getResourceAsStream(entry)) {
			jar.putNextEntry(new JarEntry(entry));
			bytes.transferTo(jar);
			jar.closeEntry();
		}
		for (String archive : List.of("app.jsa", "app.aot")) {
			Files.writeString(directory.resolve(archive), "not an archive");
		}
		Files.writeString(directory.resolve("lock"), "");
		Files.writeString(directory.resolve("ready"), directory.getFileName().toString());
	}

	private static List<Path> listRecursively(Path directory) throws IOException {
		try (Stream<Path> files = Files.walk(directory)) {
			return files.sorted().toList();
		}
	}

	private static String archiveOption() {
		// Java 25 and later get an AOT cache, earlier versions a dynamic CDS archive
		return (Runtime.version().feature() >= 25) ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
	}

	/**
	 * Start a rolling restart as the sample's admin: only an admin may.
	 */
	private static void startRollingRestart(int port) throws IOException {
		String restart = "{\"action\":\"restart\"}";
		assertThat(RawHttp.post(port, "/actuator/cluster", restart).status()).isEqualTo(401);
		assertThat(RawHttp.post(port, "/actuator/cluster", restart, "admin", "wrong").status()).isEqualTo(401);
		assertThat(RawHttp.post(port, "/actuator/cluster", restart, "admin", "admin").status()).isEqualTo(202);
	}

	private List<Long> jarTimes(int port) throws IOException {
		List<Number> times = JsonPath.read(RawHttp.get(port, "/actuator/cluster").body(),
				"$.workers[*].build.jarModifiedAt");
		return times.stream().map(Number::longValue).toList();
	}

	private static File sampleJar() {
		return new File(System.getProperty("sample.jar", "target/sample-app.jar"));
	}

	@Test
	void packagedJarRunsAsTwoWorkerCluster() throws Exception {
		File jar = sampleJar();
		assertThat(jar).isFile();
		this.cluster = ClusterLauncher.forJar(jar.toPath())
			.withProperties("cluster.worker.cds.directory=" + this.temp.resolve("cds"))
			.start();
		int port = this.cluster.port();
		assertThat(this.cluster.output()).as("banners").containsOnlyOnce(":: Spring Boot ::");
		Map<Integer, String> answers = this.cluster.awaitAnswersFromEveryWorker("/whoami");
		String status = RawHttp.get(port, "/actuator/cluster").body();
		assertThat(JsonPath.<List<String>>read(status, "$.workers[*].state")).containsExactly("READY", "READY");
		assertThat(JsonPath.<List<Integer>>read(status, "$.workers[*].pid"))
			.isEqualTo(answers.values().stream().map((body) -> JsonPath.<Integer>read(body, "$.pid")).toList());
		assertThat(this.cluster.workerProcesses()).hasSize(2);
		assertClusterScrapeHoldsBothWorkers(port);
		RawHttp.Response changed = RawHttp.send(port, "PUT", "/greeting?text=Bonjour", "");
		assertThat(JsonPath.<Integer>read(changed.body(), "$.workersNotified")).isEqualTo(2);
		this.cluster.awaitAnswersFromEveryWorker("/greeting",
				(body) -> "Bonjour".equals(JsonPath.read(body, "$.greeting")));
		this.cluster.signalMaster("TERM");
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isZero();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.cluster.processes().isEmpty());
	}

	/**
	 * Both workers answered {@code /whoami}: one scrape holds both workers' series, each
	 * worker's own requests among them.
	 */
	private void assertClusterScrapeHoldsBothWorkers(int port) throws IOException {
		RawHttp.Response scrape = RawHttp.get(port, "/actuator/clusterprometheus");
		assertThat(scrape.status()).isEqualTo(200);
		List<PrometheusText.Sample> samples = PrometheusText.parse(scrape.body());
		assertThat(samples).allSatisfy((sample) -> assertThat(sample.labels().get("worker")).isIn("1", "2"));
		Map<String, Double> whoamiRequests = samples.stream()
			.filter((sample) -> sample.name().equals("http_server_requests_seconds_count")
					&& "/whoami".equals(sample.labels().get("uri")))
			.collect(Collectors.toMap((sample) -> sample.labels().get("worker"), PrometheusText.Sample::value,
					Double::sum));
		assertThat(whoamiRequests).containsOnlyKeys("1", "2")
			.allSatisfy((worker, count) -> assertThat(count).isPositive());
	}

	@Test
	void tenMegabyteGreetingReachesEveryWorkerAndRestartsNone() throws Exception {
		this.cluster = ClusterLauncher.forJar(sampleJar().toPath())
			.withProperties("cluster.worker.cds.directory=" + this.temp.resolve("cds"))
			.start();
		int port = this.cluster.port();
		List<Integer> pids = JsonPath.read(RawHttp.get(port, "/actuator/cluster").body(), "$.workers[*].pid");
		String greeting = tenMegabyteGreeting();
		String sha256 = HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(greeting.getBytes(StandardCharsets.UTF_8)));
		RawHttp.Response changed = RawHttp.send(port, "PUT", "/greeting", "application/x-www-form-urlencoded",
				"text=" + greeting);
		assertThat(changed.status()).as("status of the change").isBetween(200, 299);
		assertThat(JsonPath.<Integer>read(changed.body(), "$.workersNotified")).isEqualTo(2);
		Map<Integer, String> digests = this.cluster.awaitAnswersFromEveryWorker("/greeting/digest",
				(body) -> sha256.equals(JsonPath.read(body, "$.sha256")));
		assertThat(digests.values()).allSatisfy(
				(body) -> assertThat(JsonPath.<Integer>read(body, "$.length")).isEqualTo(greeting.length()));
		assertThat(digests.values().stream().map((body) -> JsonPath.<Integer>read(body, "$.pid")).toList())
			.as("pids of the workers that hold the greeting")
			.isEqualTo(pids);
		String status = RawHttp.get(port, "/actuator/cluster").body();
		assertThat(JsonPath.<List<Integer>>read(status, "$.workers[*].pid")).as("pids now").isEqualTo(pids);
		assertThat(JsonPath.<List<Integer>>read(status, "$.workers[*].restarts")).containsExactly(0, 0);
	}

	/**
	 * Return 10 MiB of text that needs no URL encoding: numbers counting up, so that a
	 * lost, repeated or reordered part changes its hash.
	 */
	private static String tenMegabyteGreeting() {
		int length = 10 * 1024 * 1024;
		StringBuilder greeting = new StringBuilder(length + 16);
		for (int i = 0; greeting.length() < length; i++) {
			greeting.append(Integer.toString(i, 36)).append('-');
		}
		greeting.setLength(length);
		return greeting.toString();
	}

}
