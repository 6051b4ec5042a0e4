package io.github.clusterstarter;

import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.socket.ProcCpus;
import io.github.clusterstarter.test.ClusterLauncher;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
import io.github.clusterstarter.test.RunningCluster;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code cluster.worker.cpu-affinity=auto} in a real cluster, read from the
 * {@code Cpus_allowed_list} of every thread of its processes.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class CpuAffinityIT {

	private final ClusterLauncher launcher = ClusterLauncher.forApplication(TestApplication.class).withWorkers(2);

	private RunningCluster cluster;

	@AfterEach
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void eachWorkerServesOnACpuOfItsOwnAndOnEveryCpuWhileAProcessBoots() throws Exception {
		List<Integer> cpus = ProcCpus.ofCallingThread();
		assumeTrue(cpus.size() >= 2, "needs two CPUs");
		this.cluster = this.launcher.withProperties("cluster.worker.cpu-affinity=auto", "cluster.worker.standby=1")
			.start();
		long standby = await().atMost(Duration.ofSeconds(90))
			.until(this.cluster::standbys, (standbys) -> standbys.size() == 1)
			.get(0);
		long first = this.cluster.workers().get(1);
		long second = this.cluster.workers().get(2);
		awaitOn(first, List.of(cpus.get(0)));
		awaitOn(second, List.of(cpus.get(1)));
		assertThat(ProcCpus.ofEveryThread(this.cluster.masterPid())).containsOnly(cpus);
		// Ready, but it serves no one yet
		assertThat(ProcCpus.ofEveryThread(standby)).containsOnly(cpus);
		this.cluster.kill(1);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.cluster.workers().get(1), (pid) -> Long.valueOf(standby).equals(pid));
		// The next standby boots: worker 2 may leave its CPU to it, then goes back
		awaitOn(second, cpus);
		this.cluster.awaitLine("While a worker boots, serving workers run on every CPU: Worker 2 (pid " + second + ")",
				Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(90)).until(this.cluster::standbys, (standbys) -> standbys.size() == 1);
		awaitOn(standby, List.of(cpus.get(0)));
		awaitOn(second, List.of(cpus.get(1)));
		assertThat(JsonPath.<List<Integer>>read(this.cluster.status(), "$.workers[*].cpu")).containsExactly(cpus.get(0),
				cpus.get(1));
		this.cluster.awaitLine("Serving workers pinned to their CPUs (cluster.worker.cpu-affinity=auto): Worker 1 (pid "
				+ standby + ") on CPU " + cpus.get(0) + ", Worker 2 (pid " + second + ") on CPU " + cpus.get(1),
				Duration.ofSeconds(10));
	}

	private static void awaitOn(long pid, List<Integer> cpus) {
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(ProcCpus.ofEveryThread(pid)).containsOnly(cpus));
	}

	@Test
	void aMasterGivenOneCpuHasNothingToSpreadAndItsWorkersServeOnThatCpu() throws Exception {
		List<Integer> cpus = ProcCpus.ofCallingThread();
		int last = cpus.get(cpus.size() - 1);
		this.cluster = this.launcher.withCommandPrefix("taskset", "-c", Integer.toString(last))
			.withProperties("cluster.worker.cpu-affinity=auto")
			.start();
		for (long worker : this.cluster.workers().values()) {
			assertThat(ProcCpus.ofEveryThread(worker)).containsOnly(List.of(last));
		}
		assertThat(this.cluster.output()).contains(("cluster.worker.cpu-affinity=auto has nothing to spread: this "
				+ "process may run on CPU %d only, and so do its workers").formatted(last))
			.doesNotContain("Serving workers pinned");
	}

	@Test
	void aCpuQuotaBelowTheCpusOfTheMasterIsWarnedOfAndTheWorkersArePinnedAsAsked() throws Exception {
		List<Integer> cpus = ProcCpus.ofCallingThread();
		assumeTrue(cpus.size() >= 2, "needs two CPUs");
		// What the JDK reads from a container's CPU quota
		this.cluster = this.launcher.withJvmArgs("-XX:ActiveProcessorCount=1")
			.withProperties("cluster.worker.cpu-affinity=auto")
			.start();
		assertThat(this.cluster.output()).contains("cluster.worker.cpu-affinity=auto pins each worker to one of the "
				+ cpus.size() + " CPUs this process may run on, but its CPU quota (a container's CPU limit) gives it "
				+ "the time of 1");
		awaitOn(this.cluster.workers().get(2), List.of(cpus.get(1)));
	}

}
