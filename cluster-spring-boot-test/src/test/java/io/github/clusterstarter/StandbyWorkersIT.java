package io.github.clusterstarter;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterLauncher;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
import io.github.clusterstarter.test.OnEveryServer;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.RunningCluster;
import io.github.clusterstarter.test.WebStack;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Standby workers ({@code cluster.worker.standby}) with real processes: a standby serves
 * nothing until it takes over the id of a killed worker, and then is that worker for
 * the environment, the log, the application, the primary role and messaging.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class StandbyWorkersIT {

	private RunningCluster cluster;

	@AfterEach
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@OnEveryServer
	void aStandbyTakesOverTheIdOfAKilledWorkerAndAnotherBoots(WebStack stack) throws Exception {
		this.cluster = stack.launcher()
			.withWorkers(2)
			.withProperties("cluster.worker.standby=1", "testapp.job=true")
			.start();
		long standby = awaitStandby();
		// Workers take new connections in turn, so twenty show both, and a standby that served would show too
		for (int i = 0; i < 20; i++) {
			assertThat(pidOf(RawHttp.get(this.cluster.port(), "/whoami").body())).isNotEqualTo(standby);
		}
		long killed = this.cluster.workers().get(1);
		ProcessHandle.of(killed).ifPresent(ProcessHandle::destroyForcibly);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.cluster.workers().get(1), (pid) -> Long.valueOf(standby).equals(pid));
		String answer = this.cluster.awaitAnswersFromEveryWorker("/whoami").get(1);
		assertThat(pidOf(answer)).isEqualTo(standby);
		assertThat(JsonPath.<Integer>read(answer, "$.worker")).isEqualTo(1);
		assertThat(JsonPath.<Integer>read(answer, "$.assigned")).isEqualTo(1);
		assertThat(this.cluster.awaitLine("Took over as worker 1 (pid " + standby + ")", Duration.ofSeconds(10)))
			.contains("[worker-1]");
		this.cluster.awaitLine("JOB-RUN pid=" + standby, Duration.ofSeconds(10));
		assertThat(RawHttp.post(this.cluster.port(), "/notes/send?to=1&text=hello", "").status()).isEqualTo(200);
		this.cluster.awaitAnswersFromEveryWorker("/notes",
				(body) -> JsonPath.<Integer>read(body, "$.worker") != 1 || body.contains("hello"));
		String status = this.cluster.status();
		assertThat(JsonPath.<String>read(status, "$.workers[0].lastReplacement")).isEqualTo("crash");
		long next = awaitStandby();
		assertThat(next).isNotIn(standby, killed);
	}

	@Test
	void aRollingRestartRetiresTheStandbyAndANewOneBootsAfterIt() throws Exception {
		this.cluster = ClusterLauncher.forApplication(TestApplication.class)
			.withWorkers(2)
			.withProperties("cluster.worker.standby=1")
			.start();
		long standby = awaitStandby();
		Map<Integer, Long> before = this.cluster.workers();
		this.cluster.rollingRestart();
		this.cluster.awaitReady();
		Map<Integer, Long> after = this.cluster.workers();
		assertThat(after.values()).doesNotContainAnyElementsOf(before.values()).doesNotContain(standby);
		long next = awaitStandby();
		assertThat(next).isNotEqualTo(standby);
		assertThat(ProcessHandle.of(standby).map(ProcessHandle::isAlive).orElse(false)).isFalse();
		List<String> replacements = JsonPath.read(this.cluster.status(), "$.workers[*].lastReplacement");
		assertThat(replacements).containsOnly("rollout");
	}

	private long awaitStandby() {
		return await().atMost(Duration.ofSeconds(90))
			.until(this.cluster::standbys, (standbys) -> standbys.size() == 1)
			.get(0);
	}

	private static long pidOf(String whoami) {
		return JsonPath.<Number>read(whoami, "$.pid").longValue();
	}

}
