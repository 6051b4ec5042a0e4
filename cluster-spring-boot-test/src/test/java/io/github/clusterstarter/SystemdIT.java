package io.github.clusterstarter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.clusterstarter.test.ClusterLauncher;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
import io.github.clusterstarter.test.NotifySocketStandIn;
import io.github.clusterstarter.test.NotifySocketStandIn.Message;
import io.github.clusterstarter.test.RunningCluster;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The master under systemd, without a running systemd: socket activation through
 * {@code systemd-socket-activate}, which passes a listening socket as fd 3 as systemd
 * does, and the notify protocol against a stand-in notification socket.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class SystemdIT {

	private static final Duration BOOT = Duration.ofMinutes(3);

	@TempDir
	Path temp;

	private RunningCluster cluster;

	private NotifySocketStandIn notifySocket;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.cluster != null) {
			this.cluster.close();
		}
		if (this.notifySocket != null) {
			this.notifySocket.close();
		}
	}

	@Test
	void theConnectionThatActivatesTheSocketIsAnsweredByTheCluster() throws IOException {
		// .ci/run installs it (Debian package systemd)
		assumeThat(onPath("systemd-socket-activate")).as("systemd-socket-activate on the PATH").isTrue();
		int port = freePort();
		this.cluster = ClusterLauncher.forApplication(TestApplication.class)
			.withWorkers(1)
			.withProperties("server.port=1")
			.withCommandPrefix("systemd-socket-activate", "-l", "127.0.0.1:" + port)
			.startWithoutWaiting();
		this.cluster.awaitLine("Listening on 127.0.0.1:" + port, Duration.ofSeconds(30));
		assertThat(this.cluster.output()).doesNotContain("Cluster master");
		String answer = firstAnswer(port);
		assertThat(answer).startsWith("HTTP/1.1 200");
		assertThat(this.cluster.output())
			.contains("Using the listening socket passed by systemd (socket activation, fd 3) instead of binding one")
			.contains("Cluster master (pid " + this.cluster.masterPid() + ") listening on 127.0.0.1:" + port + ";")
			.contains("server.port is 1, but the socket systemd passed listens on 127.0.0.1 port " + port);
		this.cluster.awaitReady();
		for (ProcessHandle worker : this.cluster.workerProcesses()) {
			assertThat(environment(worker.pid())).noneMatch((variable) -> variable.startsWith("LISTEN_"));
		}
		this.cluster.signalMaster("TERM");
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isZero();
	}

	/**
	 * The connection waits in the socket's queue while the cluster boots.
	 */
	private static String firstAnswer(int port) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
			socket.setSoTimeout((int) BOOT.toMillis());
			OutputStream output = socket.getOutputStream();
			output.write("GET /actuator/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			output.flush();
			InputStream input = socket.getInputStream();
			return new String(input.readAllBytes(), StandardCharsets.US_ASCII);
		}
	}

	@Test
	void tellsTheServiceManagerEveryStateChangeAndPingsItsWatchdog() throws IOException {
		this.notifySocket = new NotifySocketStandIn(this.temp.resolve("notify.sock"));
		this.cluster = ClusterLauncher.forApplication(TestApplication.class)
			.withWorkers(1)
			.withEnvironment("NOTIFY_SOCKET", this.notifySocket.address())
			.withEnvironment("WATCHDOG_USEC", "1000000")
			.start();
		Message ready = this.notifySocket.awaitMessage(null, (message) -> message.has("READY=1"), BOOT);
		assertThat(ready.text().lines()).contains("MAINPID=" + this.cluster.masterPid(),
				"STATUS=1 of 1 worker(s) ready");
		assertThat(this.notifySocket.messages()).anyMatch((message) -> message.has("STATUS=0 of 1 worker(s) ready"));
		for (ProcessHandle worker : this.cluster.workerProcesses()) {
			assertThat(environment(worker.pid())).noneMatch((variable) -> variable.startsWith("NOTIFY_SOCKET=")
					|| variable.startsWith("WATCHDOG_"));
		}
		// Every half WATCHDOG_USEC: no gap near the second after which systemd would kill the master
		Message from = this.notifySocket.awaitMessage(ready, (message) -> message.has("WATCHDOG=1"), BOOT);
		Message to = from;
		for (int i = 0; i < 6; i++) {
			Message next = this.notifySocket.awaitMessage(to, (message) -> message.has("WATCHDOG=1"),
					Duration.ofSeconds(5));
			assertThat(Duration.ofNanos(next.nanoTime() - to.nanoTime())).isLessThan(Duration.ofMillis(900));
			to = next;
		}
		assertThat(Duration.ofNanos(to.nanoTime() - from.nanoTime())).isGreaterThan(Duration.ofMillis(2400));
		// A master that does not run sends nothing: systemd's watchdog would restart it
		this.cluster.signalMaster("STOP");
		long stoppedAt = System.nanoTime();
		try {
			sleepQuietly(Duration.ofMillis(1500));
		}
		finally {
			this.cluster.signalMaster("CONT");
		}
		long pingsWhileStopped = this.notifySocket.messages().stream()
			.filter((message) -> message.has("WATCHDOG=1") && message.nanoTime() - stoppedAt > 100_000_000L
					&& message.nanoTime() - stoppedAt < 1_400_000_000L)
			.count();
		assertThat(pingsWhileStopped).isZero();
		Message resumed = this.notifySocket.awaitMessage(to, (message) -> message.has("WATCHDOG=1")
				&& message.nanoTime() - stoppedAt > 1_500_000_000L, Duration.ofSeconds(5));
		// systemctl reload: SIGHUP rolls the workers between RELOADING=1 and READY=1
		this.cluster.signalMaster("HUP");
		Message reloading = this.notifySocket.awaitMessage(resumed, (message) -> message.has("RELOADING=1"),
				Duration.ofSeconds(10));
		assertThat(reloading.text()).contains("MONOTONIC_USEC=", "STATUS=1 of 1 worker(s) ready; rolling restart: SIGHUP");
		Message reloaded = this.notifySocket.awaitMessage(reloading, (message) -> message.has("READY=1"), BOOT);
		assertThat(reloaded.text()).contains("STATUS=1 of 1 worker(s) ready");
		assertThat(this.cluster.output()).contains("Rolling restart complete: SIGHUP (1 of 1 replaced)");
		this.cluster.signalMaster("TERM");
		this.notifySocket.awaitMessage(reloaded, (message) -> message.has("STOPPING=1"), Duration.ofSeconds(10));
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isZero();
	}

	private static void sleepQuietly(Duration duration) {
		// The test's point is a master that cannot run for this long: nothing to wait for
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static List<String> environment(long pid) throws IOException {
		return List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
				StandardCharsets.ISO_8859_1).split("\0"));
	}

	private static boolean onPath(String command) {
		return List.of(System.getenv("PATH").split(":")).stream()
			.anyMatch((directory) -> Files.isExecutable(Path.of(directory, command)));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
