package io.github.clusterstarter.master;

import java.util.List;
import java.util.Map;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.ErrorCode;
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
 * Tests for {@link RollingRestarts}.
 */
@ExtendWith(OutputCaptureExtension.class)
class RollingRestartsTests {

	@Test
	void replacesOneWorkerAtATimeEachReadyBeforeItsPredecessorStops(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		FakeWorkerJvm old1 = harness.worker(1);
		FakeWorkerJvm old2 = harness.worker(2);
		harness.signal("HUP");
		assertThat(output).contains("Rolling restart of worker(s) [1, 2] started (SIGHUP), 1 at a time");
		FakeWorkerJvm new1 = harness.worker(1);
		assertThat(new1).isNotSameAs(old1);
		assertThat(harness.launcher.launched).hasSize(3);
		ClusterStatus booting = harness.status();
		assertThat(booting.worker(1).orElseThrow().pid()).isEqualTo(old1.pid());
		assertThat(booting.worker(1).orElseThrow().replacement())
			.isEqualTo(new ClusterStatus.ReplacementProcess(new1.pid(), WorkerState.STARTING, harness.clock.instant()));
		assertThat(booting.rollout().replacing()).containsExactly(1);
		assertThat(old1.isStopRequested()).isFalse();
		harness.ready(new1);
		assertThat(old1.isStopRequested()).isTrue();
		assertThat(output).contains("Worker 1: pid 1003 took over from pid 1001, which is stopping");
		ClusterStatus swapped = harness.status();
		assertThat(swapped.worker(1).orElseThrow().pid()).isEqualTo(new1.pid());
		assertThat(swapped.worker(1).orElseThrow().stopping()).containsExactly(old1.pid());
		assertThat(swapped.rollout().replacing()).containsExactly(2);
		harness.stoppedOnesExit();
		assertThat(output).contains("Worker 1 (pid 1001) stopped (exit status 143)");
		int shrinks = harness.footprintShrinks();
		harness.ready(harness.worker(2));
		harness.stoppedOnesExit();
		assertThat(old2.hasExited()).isTrue();
		assertThat(output).contains("Rolling restart complete: SIGHUP (2 of 2 replaced)");
		assertThat(harness.footprintShrinks()).isEqualTo(shrinks + 1);
		ClusterStatus done = harness.status();
		assertThat(done.rollout().state()).isEqualTo(RolloutState.SUCCEEDED);
		assertThat(done.rollout().finishedAt()).isEqualTo(harness.clock.instant());
		assertThat(done.rollout().completed()).isEqualTo(2);
		assertThat(done.workers()).allSatisfy((worker) -> {
			assertThat(worker.state()).isEqualTo(WorkerState.READY);
			assertThat(worker.restarts()).isOne();
			assertThat(worker.lastReplacement()).isEqualTo(ReplacementReason.ROLLOUT);
			assertThat(worker.stopping()).isEmpty();
		});
		assertThat(done.master().replacements()).isEqualTo(Map.of(ReplacementReason.ROLLOUT, 2L));
	}

	@Test
	void replacesABatchAtATime() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().workers(3).rolloutBatchSize(2));
		harness.request(harness.worker(1), new ControlMessage.RolloutRequest());
		assertThat(harness.launcher.launched).hasSize(5);
		harness.ready(harness.worker(2));
		assertThat(harness.launcher.launched).hasSize(6);
		assertThat(harness.status().rollout().replacing()).containsExactly(1, 3);
	}

	@Test
	void aReplacementThatFailsToBootFailsTheRolloutAndTheOldWorkersKeepServing(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		FakeWorkerJvm old1 = harness.worker(1);
		ControlMessage.MasterMessage answer = harness.request(old1, new ControlMessage.RolloutRequest());
		assertThat(answer).isEqualTo(new ControlMessage.Accepted("rolling restart of worker(s) [1, 2] started"));
		FakeWorkerJvm replacement = harness.worker(1);
		harness.send(harness.connection(replacement), new ControlMessage.Failed("Boot failure requested by test"));
		harness.exit(replacement, 1);
		assertThat(output).contains("Rolling restart failed: the replacement for worker 1, pid 1003, exited with "
				+ "status 1 before it became ready (Boot failure requested by test). The old workers keep serving.");
		ClusterStatus status = harness.status();
		assertThat(status.rollout().state()).isEqualTo(RolloutState.FAILED);
		assertThat(status.rollout().trigger()).isEqualTo("rolling restart requested by worker 1");
		assertThat(status.rollout().reason()).isEqualTo("the replacement for worker 1, pid 1003, exited with status 1 "
				+ "before it became ready (Boot failure requested by test)");
		assertThat(status.rollout().replacing()).isEmpty();
		assertThat(status.workers()).extracting(ClusterStatus.WorkerStatus::pid).containsExactly(1001L, 1002L);
		assertThat(status.workers()).extracting(ClusterStatus.WorkerStatus::state)
			.containsOnly(WorkerState.READY);
		assertThat(old1.isStopRequested()).isFalse();
		assertThat(harness.launcher.launched).hasSize(3);
		assertThat(harness.request(old1, new ControlMessage.RolloutRequest()))
			.isInstanceOf(ControlMessage.Accepted.class);
	}

	@Test
	void aReplacementThatCannotBeStartedFailsTheRollout() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.launcher.failNext(1);
		harness.signal("HUP");
		assertThat(harness.status().rollout().reason()).isEqualTo("the replacement for worker 1 could not be started");
		assertThat(harness.launcher.launched).hasSize(2);
	}

	@Test
	void aWorkerThatCrashesWhileItsReplacementBootsIsTakenOverByTheReplacement() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.signal("HUP");
		FakeWorkerJvm replacement = harness.worker(1);
		harness.exit(harness.launcher.of(1).get(0), 137);
		assertThat(harness.launcher.launched).hasSize(3);
		assertThat(harness.status(1).state()).isEqualTo(WorkerState.RESTARTING);
		harness.ready(replacement);
		assertThat(harness.status(1).pid()).isEqualTo(replacement.pid());
		assertThat(harness.status().rollout().replacing()).containsExactly(2);
	}

	@Test
	void refusesASecondRolloutWhileOneIsInProgress(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.signal("HUP");
		ControlMessage.MasterMessage answer = harness.request(harness.worker(2), new ControlMessage.RolloutRequest());
		assertThat(answer).isInstanceOfSatisfying(ControlMessage.Failure.class, (failure) -> {
			assertThat(failure.code()).isEqualTo(ErrorCode.CONFLICT);
			assertThat(failure.reason())
				.startsWith("a rolling restart is already in progress: SIGHUP (0 of 2 replaced), started at ");
		});
		assertThat(harness.request(harness.worker(2), new ControlMessage.RestartRequest(2)))
			.isInstanceOf(ControlMessage.Failure.class);
		harness.signal("HUP");
		assertThat(output).contains("SIGHUP ignored: a rolling restart is already in progress");
		assertThat(harness.launcher.launched).hasSize(3);
	}

	@Test
	void restartsOneWorker() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		ControlMessage.MasterMessage answer = harness.request(harness.worker(1), new ControlMessage.RestartRequest(2));
		assertThat(answer).isEqualTo(new ControlMessage.Accepted("rolling restart of worker(s) [2] started"));
		assertThat(harness.launcher.of(2)).hasSize(2);
		harness.ready(harness.worker(2));
		ClusterStatus status = harness.status();
		assertThat(status.rollout().trigger()).isEqualTo("restart of worker 2 requested");
		assertThat(status.rollout().state()).isEqualTo(RolloutState.SUCCEEDED);
		assertThat(harness.launcher.of(1)).hasSize(1);
	}

	@Test
	void restartOfAnUnknownWorkerIsNotFound() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		assertThat(harness.request(harness.worker(1), new ControlMessage.RestartRequest(7))).isEqualTo(
				new ControlMessage.Failure(ErrorCode.NOT_FOUND, "no worker with id 7; the cluster has workers [1, 2]"));
	}

	@Test
	void refusesARolloutWhileWorkersAreBeingRemoved() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().workers(3));
		harness.request(harness.worker(1), new ControlMessage.ScaleRequest(2));
		assertThat(harness.request(harness.worker(1), new ControlMessage.RolloutRequest())).isEqualTo(
				new ControlMessage.Failure(ErrorCode.CONFLICT, "workers are still being removed after scaling down"));
		harness.stoppedOnesExit();
		assertThat(harness.request(harness.worker(1), new ControlMessage.RolloutRequest()))
			.isEqualTo(new ControlMessage.Accepted("rolling restart of worker(s) [1, 2] started"));
	}

	@Test
	void skipsWorkersThatDoNotServe() {
		MasterHarness harness = new MasterHarness(new TestSettings());
		harness.ready(harness.worker(1));
		harness.signal("HUP");
		harness.ready(harness.worker(1));
		ClusterStatus status = harness.status();
		assertThat(status.rollout().state()).isEqualTo(RolloutState.SUCCEEDED);
		assertThat(harness.launcher.launched).extracting(FakeWorkerJvm::workerId).isEqualTo(List.of(1, 2, 1));
	}

}
