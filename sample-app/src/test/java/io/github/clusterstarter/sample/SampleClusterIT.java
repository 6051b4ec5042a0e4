package io.github.clusterstarter.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterProcess;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
import io.github.clusterstarter.test.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the packaged sample application with {@code java -jar}, as a user would.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class SampleClusterIT {

	private ClusterProcess cluster;

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
		this.cluster = ClusterProcess.startJar(jar.toFile(), "--server.port=0", "--server.address=127.0.0.1",
				"--cluster.worker.cds.directory=" + this.temp.resolve("cds"));
		int port = this.cluster.awaitPort();
		this.cluster.awaitLine("Cluster ready", Duration.ofSeconds(90));
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
		this.cluster = ClusterProcess.startJar(sampleJar(), "--server.port=0", "--server.address=127.0.0.1",
				"--cluster.worker.cds.directory=" + cds);
		int port = this.cluster.awaitPort();
		this.cluster.awaitLine("Cluster ready", Duration.ofSeconds(90));
		this.cluster.awaitLine("Class data sharing archive ready", Duration.ofSeconds(120));
		assertThat(RawHttp.post(port, "/actuator/cluster", "{\"action\":\"restart\"}").status()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(120))
			.until(() -> "SUCCEEDED".equals(JsonPath.read(RawHttp.get(port, "/actuator/cluster").body(),
					"$.rollout.state")));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.cluster.workers().size() == 2);
		// Java 25 and later get an AOT cache, earlier versions a dynamic CDS archive
		String option = (Runtime.version().feature() >= 25) ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
		assertThat(this.cluster.workers()).hasSize(2).allSatisfy((worker) -> assertThat(
				ClusterProcess.commandLine(worker.pid()))
			.anyMatch((argument) -> argument.startsWith(option + cds)));
		assertThat(JsonPath.<List<String>>read(RawHttp.get(port, "/actuator/cluster").body(), "$.workers[*].build.jar"))
			.containsOnly(sampleJar().getAbsolutePath());
		assertThat(RawHttp.get(port, "/whoami").status()).isEqualTo(200);
		// The next master for the same jar starts its very first workers with the archive
		this.cluster.close();
		this.cluster = ClusterProcess.startJar(sampleJar(), "--server.port=0", "--server.address=127.0.0.1",
				"--cluster.worker.cds.directory=" + cds);
		this.cluster.awaitPort();
		this.cluster.awaitLine("Cluster ready", Duration.ofSeconds(90));
		assertThat(this.cluster.outputText()).doesNotContain("Class data sharing archive ready");
		assertThat(this.cluster.workers()).hasSize(2).allSatisfy((worker) -> assertThat(
				ClusterProcess.commandLine(worker.pid()))
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
		this.cluster = ClusterProcess.startJar(jar, "--server.port=0", "--server.address=127.0.0.1",
				"--cluster.worker.cds.directory=" + this.temp.resolve("cds"));
		int port = this.cluster.awaitPort();
		this.cluster.awaitLine("Cluster ready", Duration.ofSeconds(90));
		Set<Integer> workers = new HashSet<>();
		for (int i = 0; i < 10; i++) {
			RawHttp.Response response = RawHttp.get(port, "/whoami");
			assertThat(response.status()).isEqualTo(200);
			workers.add(JsonPath.read(response.body(), "$.worker"));
		}
		assertThat(workers).containsExactlyInAnyOrder(1, 2);
		String status = RawHttp.get(port, "/actuator/cluster").body();
		assertThat(JsonPath.<List<String>>read(status, "$.workers[*].state")).containsExactly("READY", "READY");
		assertThat(this.cluster.workers()).hasSize(2);
		RawHttp.Response changed = RawHttp.send(port, "PUT", "/greeting?text=Bonjour", "");
		assertThat(JsonPath.<Integer>read(changed.body(), "$.workersNotified")).isEqualTo(2);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			Set<String> greetings = new HashSet<>();
			for (int i = 0; i < 6; i++) {
				greetings.add(JsonPath.read(RawHttp.get(port, "/greeting").body(), "$.greeting"));
			}
			return greetings.equals(Set.of("Bonjour"));
		});
		this.cluster.signalMaster("TERM");
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isZero();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.cluster.processes().isEmpty());
	}

}
