package io.github.clusterstarter;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterLauncher;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.RunningCluster;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The master as a container runs it: its workers' heaps split the memory the JVM sees,
 * and as the first process of a PID namespace it reaps the orphans the kernel hands it.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class ContainerIT {

	private static final long MB = 1 << 20;

	private RunningCluster cluster;

	@AfterEach
	void stop() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void fourWorkersUnderTwoGigabytesShareOneGigabyteOfHeap() {
		this.cluster = ClusterLauncher.forApplication(TestApplication.class)
			.withWorkers(4)
			.withJvmArgs("-XX:MaxRAM=2g")
			.start();
		assertThat(this.cluster.output())
			.contains("Each of the 4 worker(s) gets -Xmx256m: half of the 2048 MB of -XX:MaxRAM");
		// The heap sizes come with the heartbeats, one a second
		List<Number> heaps = await().atMost(Duration.ofSeconds(30))
			.until(() -> JsonPath.<List<Number>>read(this.cluster.status(), "$.workers[*].heapMaxBytes"),
					(values) -> values.size() == 4 && values.stream().allMatch((value) -> value != null));
		long total = heaps.stream().mapToLong(Number::longValue).sum();
		assertThat(heaps).allSatisfy((heap) -> assertThat(heap.longValue()).isBetween(200 * MB, 256 * MB));
		assertThat(total).isLessThanOrEqualTo(1024 * MB);
	}

	@Test
	void autoStartsOneWorkerPerProcessorThatTheCpuQuotaAllows() throws IOException {
		Path controllers = Path.of("/sys/fs/cgroup/cpu");
		assumeThat(Files.isWritable(controllers.resolve("cgroup.procs"))).as("a writable cgroup v1 cpu controller")
			.isTrue();
		Path group = Files.createDirectory(controllers.resolve("cluster-it-" + ProcessHandle.current().pid()));
		try {
			Files.writeString(group.resolve("cpu.cfs_period_us"), "100000");
			// Half a CPU: the JVM rounds the quota up to one processor
			Files.writeString(group.resolve("cpu.cfs_quota_us"), "50000");
			this.cluster = ClusterLauncher.forApplication(TestApplication.class)
				.withProperties("cluster.workers=auto")
				.withCommandPrefix("sh", "-c", "echo $$ > " + group.resolve("cgroup.procs") + " && exec \"$@\"", "sh")
				.start();
			assertThat(this.cluster.output()).contains("starting 1 worker(s), 1 at a time");
			assertThat(JsonPath.<Integer>read(this.cluster.status(), "$.master.desiredWorkers")).isEqualTo(1);
		}
		finally {
			// A group can be removed once its processes are gone
			if (this.cluster != null) {
				this.cluster.close();
			}
			// A killed process leaves /proc before it leaves its group
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> Files.delete(group));
		}
	}

	@Test
	void workersWhoseHeapsCannotFitFailFastWithTheFigures() {
		this.cluster = ClusterLauncher.forApplication(TestApplication.class)
			.withWorkers(4)
			.withJvmArgs("-XX:MaxRAM=256m")
			.startWithoutWaiting();
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
		assertThat(this.cluster.output()).contains("APPLICATION FAILED TO START",
				"4 workers do not fit in 256 MB of memory: their heaps may take half of it together, 32 MB each, "
						+ "and a worker needs at least 64 MB.",
				"Run at most 2 worker(s) (cluster.workers)");
		assertThat(this.cluster.output()).doesNotContain("Started Worker");
	}

	@Test
	void asTheFirstProcessOfAPidNamespaceReapsOrphansAndExitsCleanlyOnSigterm() throws IOException {
		this.cluster = ClusterLauncher.forApplication(TestApplication.class)
			.withWorkers(1)
			.withCommandPrefix("unshare", "--pid", "--fork", "--mount-proc")
			.start();
		assertThat(this.cluster.output()).contains("Cluster master (pid 1) listening on");
		// Pids in the namespace mean nothing out here: find the processes by their parents
		long master = onlyChild(this.cluster.masterPid());
		long worker = onlyChild(master);
		RawHttp.post(this.cluster.port(), "/children/sleep?seconds=2", "");
		long orphan = await().atMost(Duration.ofSeconds(10)).until(() -> childNamed(worker, "sleep"),
				Optional::isPresent).orElseThrow();
		ProcessHandle.of(worker).ifPresent(ProcessHandle::destroyForcibly);
		// The kernel hands the orphan to the namespace's first process, the master
		await().atMost(Duration.ofSeconds(10)).until(() -> parent(orphan) == master || !Files.exists(proc(orphan)));
		// The sleep ends 2 s after it started: no zombie stays behind
		await().atMost(Duration.ofSeconds(15)).until(() -> !Files.exists(proc(orphan)));
		this.cluster.awaitReady();
		assertThat(this.cluster.output()).contains("exited unexpectedly with status 137");
		assertThat(zombieChildren(master)).isEmpty();
		ProcessHandle.of(master).orElseThrow().destroy();
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isZero();
		assertThat(this.cluster.output()).contains("Cluster master stopped (exit status 0)");
		assertThat(this.cluster.processes()).isEmpty();
	}

	@Test
	void afterSigtermAnswersKeepComingForTheShutdownDelayThenRefusalsNeverAReset() throws IOException {
		this.cluster = ClusterLauncher.forApplication(TestApplication.class)
			.withWorkers(1)
			.withProperties("cluster.shutdown-delay=3s", "management.endpoint.health.probes.enabled=true",
					"management.endpoint.health.group.readiness.include=readinessState,cluster")
			.start();
		int port = this.cluster.port();
		assertThat(RawHttp.get(port, "/actuator/health/readiness").status()).isEqualTo(200);
		this.cluster.signalMaster("TERM");
		long sigterm = System.nanoTime();
		List<Outcome> outcomes = new ArrayList<>();
		boolean outOfService = false;
		while (System.nanoTime() - sigterm < Duration.ofSeconds(60).toNanos()) {
			Outcome outcome = Outcome.of(port, (System.nanoTime() - sigterm) / 1_000_000);
			outcomes.add(outcome);
			if (outcome.result().equals("refused") && this.cluster.processes().isEmpty()) {
				break;
			}
			if (!outOfService && outcome.result().equals("200")) {
				outOfService = RawHttp.get(port, "/actuator/health/readiness").status() == 503;
			}
		}
		assertThat(outcomes).noneMatch((outcome) -> outcome.result().startsWith("reset")
				|| outcome.result().startsWith("other"));
		assertThat(outcomes).filteredOn((outcome) -> outcome.millis() < 2500)
			.isNotEmpty()
			.allMatch((outcome) -> outcome.result().equals("200"));
		assertThat(outcomes).filteredOn((outcome) -> outcome.result().equals("200"))
			.anyMatch((outcome) -> outcome.millis() > 2500);
		assertThat(outcomes).last().matches((outcome) -> outcome.result().equals("refused"));
		assertThat(outOfService).as("readiness OUT_OF_SERVICE during the delay").isTrue();
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isZero();
	}

	/**
	 * What a client got from one new connection, some milliseconds after the SIGTERM.
	 */
	private record Outcome(long millis, String result) {

		static Outcome of(int port, long millis) {
			try (Socket socket = new Socket()) {
				// Longer than the SYN retries while the socket admits nothing
				socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
				socket.setSoTimeout(10_000);
				socket.getOutputStream()
					.write("GET /whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
						.getBytes(StandardCharsets.US_ASCII));
				String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
				return new Outcome(millis, answer.startsWith("HTTP/1.1 ") ? answer.substring(9, 12)
						: "other: '" + answer + "'");
			}
			catch (ConnectException ex) {
				return new Outcome(millis, "refused");
			}
			catch (IOException ex) {
				return new Outcome(millis, (ex.getMessage() != null && ex.getMessage().contains("reset"))
						? "reset: " + ex : "other: " + ex);
			}
		}

	}

	private static long onlyChild(long pid) {
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> ProcessHandle.of(pid).orElseThrow().children().toList(), (children) -> children.size() == 1)
			.get(0)
			.pid();
	}

	private static Optional<Long> childNamed(long parent, String name) {
		return ProcessHandle.of(parent)
			.orElseThrow()
			.children()
			.filter((child) -> stat(child.pid()).map((stat) -> stat.contains("(" + name + ")")).orElse(false))
			.map(ProcessHandle::pid)
			.findFirst();
	}

	private static List<Long> zombieChildren(long parent) throws IOException {
		try (var entries = Files.list(Path.of("/proc"))) {
			return entries.map((entry) -> entry.getFileName().toString())
				.filter((name) -> name.chars().allMatch(Character::isDigit))
				.map(Long::parseLong)
				.filter((pid) -> parent(pid) == parent
						&& stat(pid).map((stat) -> stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z"))
							.orElse(false))
				.toList();
		}
	}

	private static long parent(long pid) {
		return stat(pid).map((stat) -> Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]))
			.orElse(-1L);
	}

	private static Optional<String> stat(long pid) {
		try {
			return Optional.of(Files.readString(proc(pid).resolve("stat"), StandardCharsets.ISO_8859_1));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	private static Path proc(long pid) {
		return Path.of("/proc", Long.toString(pid));
	}

}
