package io.github.clusterstarter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterProcess;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
import io.github.clusterstarter.test.EveryWorker;
import io.github.clusterstarter.test.OnEveryServer;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.WebStack;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs {@link TestApplication} as a real cluster, started from the test class path, and
 * checks what the master and its workers do.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class ClusterIT {

	private static final Duration BOOT = Duration.ofSeconds(90);

	private ClusterProcess cluster;

	@AfterEach
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	private ClusterProcess start(String... arguments) {
		this.cluster = ClusterProcess.startTestApplication(arguments);
		return this.cluster;
	}

	private int startReadyCluster(WebStack stack, int workers) {
		this.cluster = ClusterProcess.startTestApplication(stack, "--cluster.workers=" + workers, "--server.port=0");
		return awaitReady();
	}

	private int awaitReady() {
		int port = this.cluster.awaitPort();
		this.cluster.awaitLine("Cluster ready", BOOT);
		return port;
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(WebStack.class)
	void workersShareTheSocketAndReportReady(WebStack stack) throws IOException {
		int port = startReadyCluster(stack, 2);
		Map<Integer, String> answers = EveryWorker.awaitAnswers(port, "/whoami", 2, Duration.ofSeconds(30));
		assertThat(answers.values()).allSatisfy((body) -> {
			assertThat(JsonPath.<String>read(body, "$.server")).isEqualTo(stack.server());
			assertThat(JsonPath.<String>read(body, "$.stack")).isEqualTo(stack.stack());
		});
		List<Integer> pids = answers.values().stream().map((body) -> JsonPath.<Integer>read(body, "$.pid")).toList();
		assertThat(pids).doesNotHaveDuplicates().doesNotContain((int) this.cluster.master().pid());
		String status = RawHttp.get(port, "/actuator/cluster").body();
		assertThat(JsonPath.<Boolean>read(status, "$.clustered")).isTrue();
		assertThat(JsonPath.<List<String>>read(status, "$.workers[*].state")).containsExactly("READY", "READY");
		assertThat(JsonPath.<List<Integer>>read(status, "$.workers[*].id")).containsExactly(1, 2);
		assertThat(JsonPath.<List<Integer>>read(status, "$.workers[*].pid")).isEqualTo(pids);
		assertThat(JsonPath.<Integer>read(status, "$.master.pid")).isEqualTo((int) this.cluster.master().pid());
		assertThat(JsonPath.<Integer>read(status, "$.master.port")).isEqualTo(port);
		assertThat(JsonPath.<Integer>read(status, "$.master.desiredWorkers")).isEqualTo(2);
		assertThat(JsonPath.<Integer>read(status, "$.answeredBy")).isIn(1, 2);
		assertThat(RawHttp.get(port, "/actuator/cluster/2").body()).contains("\"id\":2", "\"state\":\"READY\"");
		RawHttp.Response unknown = RawHttp.get(port, "/actuator/cluster/7");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.body()).contains("No worker with id 7");
		RawHttp.Response invalid = RawHttp.get(port, "/actuator/cluster/seven");
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.body()).contains("Worker id must be a whole number, not 'seven'");
		assertThat(this.cluster.output()).anyMatch((line) -> line.contains("[worker-1]"))
			.anyMatch((line) -> line.contains("[worker-2]"))
			.anyMatch((line) -> line.contains("[master]"));
	}

	/**
	 * With every server on the class path, Spring Boot starts one (Jetty, for Spring MVC
	 * with Tomcat and Jetty, in Spring Boot 4.0) and that is the server the workers
	 * cluster.
	 */
	@Test
	void clustersTheServerSpringBootStartsAmongSeveral() throws IOException {
		this.cluster = ClusterProcess.startTestApplicationOn(ClusterProcess.testClassPath(), "--cluster.workers=2",
				"--server.port=0");
		int port = awaitReady();
		Map<Integer, String> answers = EveryWorker.awaitAnswers(port, "/whoami", 2, Duration.ofSeconds(30));
		assertThat(answers.values()).extracting((body) -> JsonPath.<String>read(body, "$.server"))
			.containsOnly(WebStack.JETTY_MVC.server());
	}

	@OnEveryServer
	void killedWorkerIsReplacedWhileTheOtherKeepsServing(WebStack stack) throws Exception {
		int port = startReadyCluster(stack, 2);
		long victim = workerPid(port, 1);
		AtomicBoolean stop = new AtomicBoolean();
		AtomicBoolean killed = new AtomicBoolean();
		AtomicInteger servedAfterKill = new AtomicInteger();
		AtomicInteger served = new AtomicInteger();
		List<Throwable> failures = new CopyOnWriteArrayList<>();
		Thread client = new Thread(() -> {
			while (!stop.get()) {
				try {
					RawHttp.Response response = RawHttp.get(port, "/whoami");
					if (response.status() != 200) {
						throw new AssertionError("Status " + response.status());
					}
					served.incrementAndGet();
					if (killed.get()) {
						servedAfterKill.incrementAndGet();
					}
				}
				catch (Throwable ex) {
					failures.add(ex);
				}
			}
		});
		client.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> served.get() > 20);
			ClusterProcess.signal(victim, "KILL");
			killed.set(true);
			await().atMost(BOOT).until(() -> {
				String status = RawHttp.get(port, "/actuator/cluster/1").body();
				return "READY".equals(JsonPath.read(status, "$.state"))
						&& ((Number) JsonPath.read(status, "$.pid")).longValue() != victim;
			});
		}
		finally {
			stop.set(true);
			client.join();
		}
		// Only a request the killed worker was serving at that moment may fail
		assertThat(failures).as("failed requests").hasSizeLessThanOrEqualTo(1);
		assertThat(servedAfterKill.get()).as("requests served while worker 1 was replaced").isGreaterThan(10);
		String worker = RawHttp.get(port, "/actuator/cluster/1").body();
		assertThat(JsonPath.<Integer>read(worker, "$.restarts")).isEqualTo(1);
		assertThat(JsonPath.<Integer>read(worker, "$.lastExit.status")).isEqualTo(137);
		assertThat(this.cluster.workers()).hasSize(2).noneMatch((handle) -> handle.pid() == victim);
	}

	private long workerPid(int port, int id) throws IOException {
		return ((Number) JsonPath.read(RawHttp.get(port, "/actuator/cluster/" + id).body(), "$.pid")).longValue();
	}

	@OnEveryServer
	void sigtermStopsEveryProcessAndExitsZero(WebStack stack) {
		startReadyCluster(stack, 2);
		assertThat(this.cluster.workers()).hasSize(2);
		this.cluster.signalMaster("TERM");
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isZero();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.cluster.processes().isEmpty());
		assertThat(this.cluster.outputText()).contains("Shutting down (SIGTERM)", "Worker 1 (pid", "stopped");
		// Each worker still writes to its output after closing its copy of the shared socket
		assertThat(this.cluster.output()).filteredOn((line) -> line.contains("Stopped accepting;")).hasSize(2);
		assertThat(this.cluster.outputText()).doesNotContain("Accept Failure", "Exception");
	}

	@Test
	void workersExitWhenTheMasterIsKilled() {
		startReadyCluster(WebStack.TOMCAT_MVC, 2);
		List<ProcessHandle> workers = this.cluster.workers();
		assertThat(workers).hasSize(2);
		this.cluster.signalMaster("KILL");
		await().atMost(Duration.ofSeconds(10)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
		assertThat(this.cluster.outputText()).contains("Lost the connection to the cluster master");
	}

	@Test
	void masterGivesUpWhenWorkersCannotBoot() {
		start("--cluster.workers=2", "--server.port=0", "--testapp.fail-on-boot=true",
				"--cluster.worker.max-boot-failures=3", "--cluster.worker.restart-backoff.initial=100ms");
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(120))).isEqualTo(1);
		assertThat(this.cluster.outputText()).contains("Giving up: 3 worker(s) in a row failed to boot",
				"Boot failure requested by testapp.fail-on-boot", "APPLICATION FAILED TO START");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.cluster.processes().isEmpty());
	}

	@Test
	void invalidWorkerCountFailsFast() {
		start("--cluster.workers=lots", "--server.port=0");
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
		assertThat(this.cluster.outputText()).contains("APPLICATION FAILED TO START",
				"Invalid value 'lots' for property 'cluster.workers'", "must be 'auto' or a whole number");
		assertThat(this.cluster.outputText()).doesNotContain("Started Worker");
	}

	@Test
	void workerWithoutInheritedSocketFailsFast() {
		this.cluster = ClusterProcess.startClass(ClusterProcess.testClassPath(), TestApplication.class.getName(),
				Map.of("BOOT_CLUSTER_WORKER_ID", "1", "BOOT_CLUSTER_CONTROL_SOCKET", "/nonexistent/control.sock",
						"BOOT_CLUSTER_SECRET", "00", "BOOT_CLUSTER_MASTER_PID", "1"),
				"--server.port=0");
		assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
		assertThat(this.cluster.outputText()).contains("APPLICATION FAILED TO START",
				"Worker 1 was started without the cluster's listening socket on its standard input (fd 0)");
	}

	@Test
	void portInUseFailsFast() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			start("--cluster.workers=2", "--server.port=" + taken.getLocalPort());
			assertThat(this.cluster.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
			assertThat(this.cluster.outputText()).contains("APPLICATION FAILED TO START",
					"The cluster master could not listen on 127.0.0.1:" + taken.getLocalPort(),
					"Identify and stop the process that is listening on port " + taken.getLocalPort());
		}
	}

}
