package io.github.clusterstarter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterLauncher;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
import io.github.clusterstarter.test.LoadGenerator;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.RunningCluster;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code SIGUSR2} replaces the master itself under load: a new master inherits the
 * socket, its workers get ready, and only then do the old workers and the old master
 * stop. Not one request fails.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class MasterUpgradeIT {

	private RunningCluster cluster;

	@AfterEach
	void stop() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void sigusr2ReplacesTheMasterWithoutAFailedRequestWithNewConnections() throws Exception {
		upgradeUnderLoad(LoadGenerator::newConnectionPerRequest, () -> this.cluster.signalMaster("USR2"));
	}

	@Test
	void theEndpointReplacesTheMasterWithoutAFailedRequestWithKeepAlive() throws Exception {
		upgradeUnderLoad(LoadGenerator::keepAlive, () -> {
			RawHttp.Response response = RawHttp.post(this.cluster.port(), "/actuator/cluster",
					"{\"action\":\"upgrade\"}");
			assertThat(response.status()).as(response.body()).isEqualTo(202);
		});
	}

	@Test
	void aNewMasterWhoseWorkersCannotBootLeavesTheOldOneServing(@TempDir Path temp) throws Exception {
		Path broken = temp.resolve("broken");
		this.cluster = ClusterLauncher.forApplication(TestApplication.class)
			.withWorkers(1)
			.withProperties("testapp.fail-on-boot-file=" + broken, "cluster.worker.max-boot-failures=2",
					"cluster.worker.restart-backoff.initial=100ms")
			.start();
		long oldMaster = this.cluster.masterPid();
		try (LoadGenerator load = LoadGenerator.newConnectionPerRequest(this.cluster.port(), "/whoami", 4)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > 100);
			Files.createFile(broken);
			this.cluster.signalMaster("USR2");
			this.cluster.awaitLine("before its workers were ready; this master keeps serving", Duration.ofMinutes(3));
			long atFailure = load.succeeded();
			await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > atFailure + 100);
			assertThat(load.failures()).isEmpty();
		}
		assertThat(this.cluster.output()).contains("Giving up: 2 worker(s) in a row failed to boot");
		assertThat(JsonPath.<Number>read(this.cluster.status(), "$.master.pid").longValue()).isEqualTo(oldMaster);
	}

	private void upgradeUnderLoad(Load loadType, Trigger upgrade) throws Exception {
		this.cluster = ClusterLauncher.forApplication(TestApplication.class).withWorkers(1).start();
		int port = this.cluster.port();
		long oldMaster = this.cluster.masterPid();
		List<ProcessHandle> oldWorkers = this.cluster.workerProcesses();
		RawHttp.Response session = RawHttp.send(port, "POST", "/session/count", List.of(), "", "");
		String cookie = "Cookie: " + session.cookies().get(0);
		try (LoadGenerator load = loadType.start(port, "/whoami", 4)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > 100);
			upgrade.run();
			assertThat(this.cluster.awaitExit(Duration.ofMinutes(3))).isZero();
			long atExit = load.succeeded();
			await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > atExit + 100);
			assertThat(load.failures()).isEmpty();
		}
		String output = this.cluster.output();
		assertThat(output).contains("Upgrading the master: started a new master (pid ",
				"Using the listening socket of the master this one replaces (pid " + oldMaster + ")",
				"telling the previous master (pid " + oldMaster + ") to stop its workers",
				"SIGTERM while a new master runs, which takes over");
		assertThat(output).doesNotContain("Shutting down (SIGTERM): stopping");
		assertThat(oldWorkers).noneMatch(ProcessHandle::isAlive);
		// The new master's workers share the old ones' sessions
		RawHttp.Response sameSession = RawHttp.send(port, "POST", "/session/count", List.of(cookie), "", "");
		assertThat(JsonPath.<Integer>read(sameSession.body(), "$.count")).as(sameSession.toString()).isEqualTo(2);
		long newMaster = JsonPath.<Number>read(this.cluster.status(), "$.master.pid").longValue();
		assertThat(newMaster).isNotEqualTo(oldMaster);
		assertThat(this.cluster.processes()).extracting(ProcessHandle::pid).contains(newMaster)
			.doesNotContain(oldMaster);
	}

	@FunctionalInterface
	private interface Trigger {

		void run() throws Exception;

	}

	@FunctionalInterface
	private interface Load {

		LoadGenerator start(int port, String path, int clients);

	}

}
