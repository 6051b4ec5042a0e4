package io.github.clusterstarter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.clusterstarter.test.ClusterLauncher;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
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
 * What the processes a worker starts get from it: neither the listening socket nor the
 * belief that they are workers.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class WorkerChildrenIT {

	@TempDir
	Path temp;

	private RunningCluster cluster;

	private long child;

	@AfterEach
	void stop() {
		if (this.cluster != null) {
			this.cluster.close();
		}
		ProcessHandle.of(this.child).ifPresent(ProcessHandle::destroyForcibly);
	}

	private int startReady() {
		this.cluster = ClusterLauncher.forApplication(TestApplication.class).withWorkers(2).start();
		return this.cluster.port();
	}

	@Test
	void aChildStartedWithInheritIoDoesNotKeepThePortOnceTheClusterIsGone() throws IOException {
		int port = startReady();
		this.child = Long.parseLong(RawHttp.post(port, "/children/sleep?seconds=300", "").body().trim());
		this.cluster.signalMaster("TERM");
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isZero();
		assertThat(ProcessHandle.of(this.child)).hasValueSatisfying((child) -> assertThat(child.isAlive()).isTrue());
		try (ServerSocket rebound = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			assertThat(rebound.getLocalPort()).isEqualTo(port);
		}
	}

	@Test
	void aBootAppStartedByAWorkerRunsAsAnOrdinaryProcess() throws IOException {
		int port = startReady();
		Path output = this.temp.resolve("child.log");
		this.child = Long.parseLong(RawHttp.post(port, "/children/app?output=" + output, "").body().trim());
		await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.of(this.child).isEmpty());
		String log = Files.readString(output);
		assertThat(log).contains("Started TestApplication").doesNotContain("APPLICATION FAILED TO START",
				"[worker-");
	}

}
