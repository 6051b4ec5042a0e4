package io.github.clusterstarter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import io.github.clusterstarter.test.ClusterLauncher;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
import io.github.clusterstarter.test.RunningCluster;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts {@link TestApplication} as a real cluster for each test, since each one ends it
 * or keeps it from starting: how a cluster stops, and how it fails to start.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class ClusterLifecycleIT {

	private final ClusterLauncher launcher = ClusterLauncher.forApplication(TestApplication.class).withWorkers(2);

	private RunningCluster cluster;

	@AfterEach
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void sigtermStopsEveryProcessAndExitsZero() {
		this.cluster = this.launcher.start();
		assertThat(this.cluster.workerProcesses()).hasSize(2);
		this.cluster.signalMaster("TERM");
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isZero();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.cluster.processes().isEmpty());
		assertThat(this.cluster.output()).contains("Shutting down (SIGTERM)", "Worker 1 (pid", "stopped");
	}

	@Test
	void workersExitWhenTheMasterIsKilled() {
		this.cluster = this.launcher.start();
		List<ProcessHandle> workers = this.cluster.workerProcesses();
		assertThat(workers).hasSize(2);
		this.cluster.signalMaster("KILL");
		await().atMost(Duration.ofSeconds(10)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
		assertThat(this.cluster.output()).contains("Lost the connection to the cluster master");
	}

	@Test
	void masterGivesUpWhenWorkersCannotBoot() {
		this.cluster = this.launcher
			.withProperties("testapp.fail-on-boot=true", "cluster.worker.max-boot-failures=3",
					"cluster.worker.restart-backoff.initial=100ms")
			.startWithoutWaiting();
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(120))).isEqualTo(1);
		assertThat(this.cluster.output()).contains("Giving up: 3 worker(s) in a row failed to boot",
				"Boot failure requested by testapp.fail-on-boot", "APPLICATION FAILED TO START");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.cluster.processes().isEmpty());
	}

	@Test
	void invalidWorkerCountFailsFast() {
		this.cluster = this.launcher.withProperties("cluster.workers=lots").startWithoutWaiting();
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
		assertThat(this.cluster.output()).contains("APPLICATION FAILED TO START",
				"Invalid value 'lots' for property 'cluster.workers'", "must be 'auto' or a whole number");
		assertThat(this.cluster.output()).doesNotContain("Started Worker");
	}

	@Test
	void workerWithoutInheritedSocketFailsFast() {
		this.cluster = ClusterLauncher.forApplication(TestApplication.class)
			.withEnvironment("BOOT_CLUSTER_WORKER_ID", "1")
			.withEnvironment("BOOT_CLUSTER_CONTROL_SOCKET", "/nonexistent/control.sock")
			.withEnvironment("BOOT_CLUSTER_SECRET", "00")
			.withEnvironment("BOOT_CLUSTER_MASTER_PID", "1")
			.startWithoutWaiting();
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
		assertThat(this.cluster.output()).contains("APPLICATION FAILED TO START",
				"Worker 1 was started without the cluster's listening socket on its standard input (fd 0)");
	}

	@Test
	void portInUseFailsFast() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			this.cluster = this.launcher.withProperties("server.port=" + taken.getLocalPort()).startWithoutWaiting();
			assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
			assertThat(this.cluster.output()).contains("APPLICATION FAILED TO START",
					"The cluster master could not listen on 127.0.0.1:" + taken.getLocalPort(),
					"Identify and stop the process that is listening on port " + taken.getLocalPort());
		}
	}

}
