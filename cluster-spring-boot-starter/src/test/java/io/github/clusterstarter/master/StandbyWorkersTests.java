package io.github.clusterstarter.master;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.status.ClusterStatus;
import io.github.clusterstarter.status.ReplacementReason;
import io.github.clusterstarter.status.RolloutState;
import io.github.clusterstarter.status.WorkerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StandbyWorkers} and the promotion of standbys by
 * {@link WorkerStarter}: a standby takes over a worker that crashed, hung, was recycled
 * or was added, and the standbys boot again.
 */
@ExtendWith(OutputCaptureExtension.class)
class StandbyWorkersTests {

	@Test
	void standbysBootOnlyOnceEveryWorkerIsReadyAndWaitOutsideTheAcceptPool() {
		MasterHarness harness = new MasterHarness(new TestSettings().standby(1));
		assertThat(harness.launcher.of(0)).isEmpty();
		harness.ready(harness.worker(1));
		assertThat(harness.launcher.of(0)).isEmpty();
		harness.ready(harness.worker(2));
		assertThat(harness.launcher.of(0)).hasSize(1);
		FakeWorkerJvm standby = standbyReady(harness);
		ClusterStatus status = harness.status();
		assertThat(status.standbys()).singleElement().satisfies((described) -> {
			assertThat(described.pid()).isEqualTo(standby.pid());
			assertThat(described.state()).isEqualTo(WorkerState.STANDBY);
		});
		assertThat(status.count(WorkerState.READY)).isEqualTo(2);
		assertThat(status.count(WorkerState.STANDBY)).isEqualTo(1);
		assertThat(harness.connection(standby).sent(ControlMessage.Promote.class)).isEmpty();
	}

	@Test
	void aCrashedWorkerIsTakenOverAtOnceByTheStandbyAndAnotherStandbyBoots() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().standby(1));
		FakeWorkerJvm standby = standbyReady(harness);
		long launched = harness.launcher.launched.size();
		harness.exit(harness.worker(2), 137);
		assertThat(harness.connection(standby).sent(ControlMessage.Promote.class))
			.containsExactly(new ControlMessage.Promote(2));
		ClusterStatus.WorkerStatus worker = harness.status(2);
		assertThat(worker.pid()).isEqualTo(standby.pid());
		assertThat(worker.state()).isEqualTo(WorkerState.READY);
		assertThat(worker.restarts()).isOne();
		assertThat(worker.lastReplacement()).isEqualTo(ReplacementReason.CRASH);
		assertThat(harness.launcher.launched).hasSize((int) launched + 1);
		assertThat(harness.launcher.launched.get((int) launched).workerId()).isZero();
		assertThat(harness.status().standbys()).singleElement()
			.satisfies((next) -> assertThat(next.state()).isEqualTo(WorkerState.STARTING));
	}

	@Test
	void withoutAReadyStandbyACrashedWorkerIsRespawned() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().standby(1));
		harness.exit(harness.worker(2), 137);
		assertThat(harness.launcher.of(2)).hasSize(2);
		assertThat(harness.connection(harness.launcher.of(0).get(0)).sent(ControlMessage.Promote.class)).isEmpty();
	}

	@Test
	void aHungWorkerIsTakenOverByTheStandby() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().standby(1));
		FakeWorkerJvm standby = standbyReady(harness);
		FakeWorkerJvm hung = harness.worker(1);
		for (int second = 0; second < 33; second++) {
			harness.heartbeat(harness.worker(2), 0);
			harness.heartbeat(standby, 0);
			harness.advance(Duration.ofSeconds(1));
		}
		assertThat(hung.hasExited()).isTrue();
		assertThat(harness.connection(standby).sent(ControlMessage.Promote.class))
			.containsExactly(new ControlMessage.Promote(1));
		assertThat(harness.status(1).lastReplacement()).isEqualTo(ReplacementReason.TIMEOUT);
	}

	@Test
	void aRecycledWorkerIsReplacedByTheStandbyWithoutBootingAProcessForIt() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().standby(1).maxRequests(100, 0));
		FakeWorkerJvm standby = standbyReady(harness);
		FakeWorkerJvm recycled = harness.worker(1);
		harness.heartbeat(recycled, 150);
		harness.advance(Duration.ofSeconds(1));
		assertThat(harness.connection(standby).sent(ControlMessage.Promote.class))
			.containsExactly(new ControlMessage.Promote(1));
		assertThat(recycled.isStopRequested()).isTrue();
		assertThat(harness.launcher.of(1)).containsExactly(recycled);
		assertThat(harness.status(1).pid()).isEqualTo(standby.pid());
		assertThat(harness.status().rollout().state()).isEqualTo(RolloutState.SUCCEEDED);
	}

	@Test
	void scalingUpPromotesTheStandbyFirst() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().standby(1));
		FakeWorkerJvm standby = standbyReady(harness);
		assertThat(harness.request(harness.worker(1), new ControlMessage.ScaleRequest(3)))
			.isInstanceOf(ControlMessage.Accepted.class);
		assertThat(harness.connection(standby).sent(ControlMessage.Promote.class))
			.containsExactly(new ControlMessage.Promote(3));
		assertThat(harness.launcher.of(3)).isEmpty();
		assertThat(harness.status(3).state()).isEqualTo(WorkerState.READY);
	}

	@Test
	void aRollingRestartRetiresTheStandbysAndBootsNewOnesOnceItIsOver() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().standby(1));
		FakeWorkerJvm standby = standbyReady(harness);
		harness.signal("HUP");
		assertThat(standby.isStopRequested()).isTrue();
		assertThat(harness.connection(standby).sent(ControlMessage.Promote.class)).isEmpty();
		harness.stoppedOnesExit();
		for (int id = 1; id <= 2; id++) {
			assertThat(harness.launcher.of(0)).hasSize(1);
			harness.ready(harness.worker(id));
			harness.stoppedOnesExit();
		}
		assertThat(harness.launcher.of(0)).hasSize(2);
	}

	@Test
	void standbysThatKeepFailingToBootAreGivenUpWhileTheWorkersServe(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().standby(1).maxBootFailures(2));
		harness.exit(harness.launcher.of(0).get(0), 1);
		harness.exit(harness.launcher.of(0).get(1), 1);
		harness.advance(Duration.ofMinutes(1));
		assertThat(harness.launcher.of(0)).hasSize(2);
		assertThat(harness.master.isFinished()).isFalse();
		assertThat(harness.status().count(WorkerState.READY)).isEqualTo(2);
		assertThat(output).contains("Gave up on standbys: 2 in a row failed to boot");
	}

	@Test
	void aStandbyThatStopsSendingHeartbeatsIsKilledAndAnotherBoots() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().standby(1));
		FakeWorkerJvm standby = standbyReady(harness);
		for (int second = 0; second < 33; second++) {
			harness.heartbeat(harness.worker(1), 0);
			harness.heartbeat(harness.worker(2), 0);
			harness.advance(Duration.ofSeconds(1));
		}
		assertThat(standby.killed).isTrue();
		assertThat(harness.launcher.of(0)).hasSize(2);
	}

	@Test
	void broadcastsReachTheStandbyWhichIsNeverPrimary() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().standby(1));
		FakeWorkerJvm standby = standbyReady(harness);
		FakeControlConnection sender = harness.connection(harness.worker(1));
		harness.send(sender, new ControlMessage.Publish(null, "text"), "evict".getBytes(StandardCharsets.UTF_8));
		assertThat(harness.connection(standby).sent(ControlMessage.Delivery.class)).hasSize(1);
		List<ControlMessage.Primary> primaries = harness.connection(standby).sent(ControlMessage.Primary.class);
		assertThat(primaries).isNotEmpty().allSatisfy((primary) -> assertThat(primary.pid()).isNotEqualTo(standby.pid()));
	}

	@Test
	void aPromotedStandbyMayConnectWithItsNewIdOrItsStandbyId() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().standby(1));
		FakeWorkerJvm standby = standbyReady(harness);
		harness.exit(harness.worker(2), 137);
		FakeControlConnection withNewId = new FakeControlConnection(2, standby.pid());
		harness.master.controlListener().onConnected(withNewId);
		FakeControlConnection withStandbyId = new FakeControlConnection(0, standby.pid());
		harness.master.controlListener().onConnected(withStandbyId);
		FakeControlConnection withAnotherId = new FakeControlConnection(1, standby.pid());
		harness.master.controlListener().onConnected(withAnotherId);
		harness.settle();
		assertThat(withNewId.welcomed).isTrue();
		assertThat(withStandbyId.welcomed).isTrue();
		assertThat(withAnotherId.welcomed).isFalse();
		assertThat(withAnotherId.refused).contains("is not a process of worker 1");
	}

	@Test
	void theStandbysStopWithTheCluster() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().standby(1));
		FakeWorkerJvm standby = standbyReady(harness);
		harness.signal("TERM");
		harness.advance(Duration.ofSeconds(1));
		assertThat(standby.isStopRequested()).isTrue();
		harness.stoppedOnesExit();
		assertThat(harness.master.isFinished()).isTrue();
	}

	private static FakeWorkerJvm standbyReady(MasterHarness harness) {
		List<FakeWorkerJvm> standbys = harness.launcher.of(0);
		FakeWorkerJvm standby = standbys.get(standbys.size() - 1);
		harness.ready(standby);
		return standby;
	}

}
