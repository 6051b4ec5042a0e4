package io.github.clusterstarter;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.clusterstarter.master.SharedSessions;
import io.github.clusterstarter.test.ClusterLauncher;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
import io.github.clusterstarter.test.OnEveryServer;
import io.github.clusterstarter.test.RunningCluster;
import io.github.clusterstarter.test.WebStack;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts {@link TestApplication} as a real cluster for each test, since each one ends it
 * or keeps it from starting: how a cluster stops (after {@code SIGTERM} every connection
 * is answered or refused, none reset, on every web server; workers of a killed master exit within 10 s
 * whatever their shutdown does; what a killed master leaves behind is gone once the next
 * one started), and how it fails to start.
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
	void aDebugAgentFromJavaToolOptionsStaysWithTheMasterAndIsNamed() throws IOException {
		int debugPort;
		try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			debugPort = free.getLocalPort();
		}
		String agent = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + debugPort;
		this.cluster = this.launcher.withEnvironment("JAVA_TOOL_OPTIONS", agent).start();
		assertThat(this.cluster.output()).contains(
				"Workers do not get these per-process JVM options of the master: [" + agent + " from JAVA_TOOL_OPTIONS]");
		assertThat(this.cluster.workerProcesses()).hasSize(2);
	}

	@Test
	void invalidWorkerCountFailsFast() {
		this.cluster = this.launcher.withProperties("cluster.workers=lots").startWithoutWaiting();
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
		assertThat(this.cluster.output()).contains("APPLICATION FAILED TO START",
				"Invalid value 'lots' for property 'cluster.workers'", "must be 'auto', 0 (no cluster) or a whole number");
		assertThat(this.cluster.output()).doesNotContain("Started Worker");
	}

	@Test
	void workerWithoutInheritedSocketFailsFast() {
		this.cluster = ClusterLauncher.forApplication(TestApplication.class)
			.withEnvironment("BOOT_CLUSTER_WORKER_ID", "1")
			.withEnvironment("BOOT_CLUSTER_CONTROL_SOCKET", "/nonexistent/control.sock")
			.withEnvironment("BOOT_CLUSTER_SECRET", "00")
			.withEnvironment("BOOT_CLUSTER_MASTER_PID", Long.toString(ProcessHandle.current().pid()))
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

	@OnEveryServer
	void afterSigtermEveryConnectionIsAnsweredOrRefusedAndNoneIsReset(WebStack stack) throws Exception {
		this.cluster = stack.launcher().withWorkers(2).start();
		RunningCluster cluster = this.cluster;
		int port = cluster.port();
		Outcomes outcomes = new Outcomes();
		AtomicBoolean stop = new AtomicBoolean();
		ExecutorService clients = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> probes = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				probes.add(clients.submit(() -> probe(port, stop, outcomes)));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.answered.get() >= 200);
			cluster.signalMaster("TERM");
			assertThat(cluster.awaitExit(Duration.ofSeconds(60))).isZero();
			long refusedAtExit = outcomes.refused.get();
			await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.refused.get() >= refusedAtExit + 16);
			stop.set(true);
			for (Future<?> probe : probes) {
				probe.get(60, TimeUnit.SECONDS);
			}
			System.out.printf("Through SIGTERM: %d answered, %d refused, %d reset%n", outcomes.answered.get(),
					outcomes.refused.get(), outcomes.reset.get());
			assertThat(outcomes.reset.get()).as("connections reset after the kernel accepted them").isZero();
			assertThat(SharedSessions.defaultLocation(System.getProperty("java.io.tmpdir")).resolve(Integer.toString(port)))
				.as("the sessions directory of a cluster that kept no session").doesNotExist();
		}
		finally {
			stop.set(true);
			clients.shutdownNow();
		}
	}

	/**
	 * Open a new connection per request until told to stop: answered with a response,
	 * refused (not accepted by the kernel, or not within 5 s), or reset after the kernel
	 * accepted it.
	 */
	private static void probe(int port, AtomicBoolean stop, Outcomes outcomes) {
		while (!stop.get()) {
			try (Socket socket = new Socket()) {
				try {
					socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
				}
				catch (ConnectException | SocketTimeoutException ex) {
					outcomes.refused.incrementAndGet();
					continue;
				}
				socket.setSoTimeout(30_000);
				socket.getOutputStream()
					.write("GET /whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
						.getBytes(StandardCharsets.US_ASCII));
				(readsResponse(socket.getInputStream()) ? outcomes.answered : outcomes.reset).incrementAndGet();
			}
			catch (IOException ex) {
				outcomes.reset.incrementAndGet();
			}
		}
	}

	private static boolean readsResponse(InputStream input) throws IOException {
		byte[] status = input.readNBytes(12);
		return new String(status, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
	}

	@Test
	void workersOfAKilledMasterExitWithinTenSecondsWhateverTheirShutdownDoes() {
		this.cluster = this.launcher.withProperties("testapp.stubborn-shutdown=true").start();
		List<ProcessHandle> workers = this.cluster.workerProcesses();
		assertThat(workers).hasSize(2);
		long killed = System.nanoTime();
		this.cluster.signalMaster("KILL");
		await().atMost(Duration.ofSeconds(10)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
		System.out.printf("Orphaned workers gone %d ms after kill -9 of the master%n",
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
	}

	@Test
	void theControlDirectoryOfAKilledMasterIsGoneOnceTheNextMasterStarted() throws IOException {
		this.cluster = this.launcher.start();
		RunningCluster first = this.cluster;
		Path directory = controlSocket(first.workerProcesses().get(0)).getParent();
		assertThat(directory).exists();
		List<ProcessHandle> workers = first.workerProcesses();
		first.signalMaster("KILL");
		await().atMost(Duration.ofSeconds(15)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
		assertThat(directory).exists();
		first.close();
		// Any master of this user deletes it (another test's, in a busy build), at the latest this one
		this.cluster = this.launcher.start();
		assertThat(directory).doesNotExist();
	}

	private static Path controlSocket(ProcessHandle worker) throws IOException {
		for (String variable : Files.readString(Path.of("/proc/" + worker.pid() + "/environ")).split("\0")) {
			if (variable.startsWith("BOOT_CLUSTER_CONTROL_SOCKET=")) {
				return Path.of(variable.substring(variable.indexOf('=') + 1));
			}
		}
		throw new IllegalStateException("Worker " + worker.pid() + " has no control socket in its environment");
	}

	private static final class Outcomes {

		final AtomicLong answered = new AtomicLong();

		final AtomicLong refused = new AtomicLong();

		final AtomicLong reset = new AtomicLong();

	}

}
