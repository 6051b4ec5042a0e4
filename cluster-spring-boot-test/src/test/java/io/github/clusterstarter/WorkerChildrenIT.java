package io.github.clusterstarter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
 * What the processes a worker starts get from it: neither the listening socket, nor the
 * cluster's environment variables (the secret among them), nor the belief that they are
 * workers.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class WorkerChildrenIT {

	@TempDir
	Path temp;

	private RunningCluster cluster;

	private final List<Long> children = new ArrayList<>();

	@AfterEach
	void stop() {
		// First: a child started with inheritIO() holds the cluster's output open until it exits
		this.children.forEach((child) -> ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly));
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	private long startChild(String path) throws IOException {
		long child = Long.parseLong(RawHttp.post(this.cluster.port(), path, "").body().trim());
		this.children.add(child);
		return child;
	}

	private int startReady() {
		this.cluster = ClusterLauncher.forApplication(TestApplication.class).withWorkers(2).start();
		return this.cluster.port();
	}

	@Test
	void aChildStartedWithInheritIoDoesNotKeepThePortOnceTheClusterIsGone() throws IOException {
		int port = startReady();
		long child = startChild("/children/sleep?seconds=300");
		this.cluster.signalMaster("TERM");
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isZero();
		assertThat(ProcessHandle.of(child)).hasValueSatisfying((handle) -> assertThat(handle.isAlive()).isTrue());
		try (ServerSocket rebound = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			assertThat(rebound.getLocalPort()).isEqualTo(port);
		}
	}

	@Test
	void aBootAppStartedByAWorkerRunsAsAnOrdinaryProcess() throws IOException {
		startReady();
		Path output = this.temp.resolve("child.log");
		long child = startChild("/children/app?output=" + output);
		await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.of(child).isEmpty());
		String log = Files.readString(output);
		assertThat(log).contains("Started TestApplication").doesNotContain("APPLICATION FAILED TO START",
				"[worker-");
	}

	@Test
	void childrenGetNoneOfTheClusterVariables() throws IOException {
		startReady();
		List<Long> workers = this.cluster.workerProcesses().stream().map(ProcessHandle::pid).toList();
		// The workers themselves got them, as /proc shows a process's environment at its start
		assertThat(workers).isNotEmpty()
			.allSatisfy((worker) -> assertThat(environment(worker)).anyMatch((variable) -> variable
				.startsWith("BOOT_CLUSTER_SECRET=")));
		// Started with the C library's copy of the environment, and with the JDK's
		long child = startChild("/children/sleep?seconds=300");
		long childWithOwnVariable = startChild("/children/sleep?seconds=300&ownVariable=true");
		assertThat(environment(child)).isNotEmpty().noneMatch((variable) -> variable.startsWith("BOOT_CLUSTER_"));
		assertThat(environment(childWithOwnVariable)).contains("TESTAPP_CHILD=true")
			.noneMatch((variable) -> variable.startsWith("BOOT_CLUSTER_"));
		assertThat(this.cluster.output()).doesNotContain("Cannot remove");
	}

	private static List<String> environment(long pid) throws IOException {
		byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
		return List.of(new String(environ, StandardCharsets.ISO_8859_1).split("\0"));
	}

}
