package io.github.clusterstarter.sample;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the packaged sample application with {@code java -jar}, as a user would, a
 * cluster of its own for each test.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class SampleClusterIT {

	private RunningCluster cluster;

	@AfterEach
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
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
		assertThat(RawHttp.post(port, "/actuator/cluster", "{\"action\":\"restart\"}").status()).isEqualTo(202);
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
		assertThat(RawHttp.post(port, "/actuator/cluster", "{\"action\":\"restart\"}").status()).isEqualTo(202);
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
