package io.github.clusterstarter.master;

import java.time.Duration;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.ErrorCode;
import io.github.clusterstarter.status.ClusterStatus;
import io.github.clusterstarter.status.MasterState;
import io.github.clusterstarter.status.RolloutState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Shutdown}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownTests {

	@Test
	void sigtermStopsEveryWorkerGracefullyAndEndsOnceTheyExited(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.signal("TERM");
		assertThat(output).contains("Shutting down (SIGTERM): stopping 2 worker(s) gracefully, at most 60 s");
		assertThat(harness.launcher.launched).allSatisfy((jvm) -> {
			assertThat(jvm.isStopRequested()).isTrue();
			assertThat(jvm.killed).isFalse();
		});
		ClusterStatus status = harness.status();
		assertThat(status.master().state()).isEqualTo(MasterState.STOPPING);
		assertThat(harness.master.isFinished()).isFalse();
		harness.exit(harness.worker(1), 143);
		assertThat(output).contains("Worker 1 (pid 1001) stopped (exit status 143)");
		assertThat(harness.master.isFinished()).isFalse();
		harness.exit(harness.worker(2), 143);
		assertThat(harness.master.isFinished()).isTrue();
		assertThat(harness.master.exitStatus()).isZero();
		assertThat(harness.launcher.launched).hasSize(2);
	}

	@Test
	void theWorkersKeepServingForTheShutdownDelayWhileTheStatusSaysStopping(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().shutdownDelay(Duration.ofSeconds(5))
			.shutdownTimeout(Duration.ofSeconds(10)));
		harness.signal("TERM");
		assertThat(output).contains("Shutting down (SIGTERM) in 5000 ms (cluster.shutdown-delay): the workers keep "
				+ "serving meanwhile, and the cluster health indicator reports OUT_OF_SERVICE");
		assertThat(harness.status().master().state()).isEqualTo(MasterState.STOPPING);
		harness.advance(Duration.ofMillis(4999));
		assertThat(harness.listener.admitting).isTrue();
		assertThat(harness.launcher.launched).noneSatisfy((jvm) -> assertThat(jvm.isStopRequested()).isTrue());
		harness.advance(Duration.ofMillis(1));
		assertThat(harness.listener.admitting).isFalse();
		assertThat(harness.listener.closed).isTrue();
		assertThat(harness.launcher.launched).allSatisfy((jvm) -> assertThat(jvm.isStopRequested()).isTrue());
		// The shutdown timeout starts after the delay
		harness.advance(Duration.ofMillis(9999));
		assertThat(harness.launcher.launched).noneSatisfy((jvm) -> assertThat(jvm.killed).isTrue());
		harness.advance(Duration.ofMillis(1));
		assertThat(harness.launcher.launched).allSatisfy((jvm) -> assertThat(jvm.killed).isTrue());
	}

	@Test
	void aSecondSignalDuringTheShutdownDelayKillsTheWorkers() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().shutdownDelay(Duration.ofSeconds(5)));
		harness.signal("TERM");
		harness.signal("TERM");
		assertThat(harness.launcher.launched).allSatisfy((jvm) -> assertThat(jvm.killed).isTrue());
		assertThat(harness.master.isFinished()).isTrue();
	}

	@Test
	void theSocketStopsAdmittingAndTheWorkersAcceptWhatItAdmittedBeforeTheyStop(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.listener.queued = 3;
		harness.signal("TERM");
		assertThat(harness.listener.admitting).isFalse();
		harness.advance(Duration.ofMillis(100));
		assertThat(harness.launcher.launched).noneSatisfy((jvm) -> assertThat(jvm.isStopRequested()).isTrue());
		assertThat(harness.listener.closed).isFalse();
		harness.listener.queued = 0;
		harness.advance(Duration.ofMillis(10));
		assertThat(harness.launcher.launched).allSatisfy((jvm) -> assertThat(jvm.isStopRequested()).isTrue());
		assertThat(harness.listener.closed).isTrue();
		assertThat(output).doesNotContain("closing resets them");
	}

	@Test
	void workersStopAfterTheQueueDrainLimitEvenIfConnectionsAreLeft(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.listener.queued = 2;
		harness.signal("TERM");
		harness.advance(Shutdown.QUEUE_DRAIN_LIMIT.minusMillis(10));
		assertThat(harness.worker(1).isStopRequested()).isFalse();
		harness.advance(Duration.ofMillis(10));
		assertThat(harness.worker(1).isStopRequested()).isTrue();
		assertThat(output).contains("2 connection(s) queued on the shared socket were not accepted within 5000 ms; "
				+ "closing resets them");
	}

	@Test
	void withoutReadyWorkersNothingWaitsForTheQueue() {
		MasterHarness harness = new MasterHarness(new TestSettings());
		harness.listener.queued = 2;
		harness.signal("TERM");
		assertThat(harness.listener.admitting).isFalse();
		assertThat(harness.worker(1).isStopRequested()).isTrue();
		assertThat(harness.listener.closed).isTrue();
	}

	@Test
	void killsTheWorkersStillRunningAfterTheShutdownTimeout(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().shutdownTimeout(Duration.ofSeconds(10)));
		harness.signal("INT");
		harness.exit(harness.worker(1), 143);
		harness.advance(Duration.ofMillis(9999));
		assertThat(harness.worker(2).killed).isFalse();
		harness.advance(Duration.ofMillis(1));
		assertThat(harness.worker(2).killed).isTrue();
		assertThat(output).contains("Workers still running after cluster.shutdown-timeout (10 s): killing them");
		assertThat(harness.master.isFinished()).isTrue();
		assertThat(harness.master.exitStatus()).isZero();
	}

	@Test
	void aSecondSignalKillsTheWorkersAtOnce(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.signal("TERM");
		harness.signal("INT");
		assertThat(output).contains("Received SIGINT again while shutting down: killing the workers now");
		assertThat(harness.launcher.launched).allSatisfy((jvm) -> assertThat(jvm.killed).isTrue());
		assertThat(harness.master.isFinished()).isTrue();
	}

	@Test
	void endsTheRolloutInProgressAndRefusesCommands() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.signal("HUP");
		harness.signal("TERM");
		ClusterStatus status = harness.status();
		assertThat(status.rollout().state()).isEqualTo(RolloutState.FAILED);
		assertThat(status.rollout().reason()).isEqualTo("the cluster is shutting down");
		assertThat(harness.worker(1).isStopRequested()).isTrue();
		FakeWorkerJvm worker = harness.launcher.of(2).get(0);
		ControlMessage.Failure shuttingDown = new ControlMessage.Failure(ErrorCode.CONFLICT,
				"the cluster is shutting down");
		assertThat(harness.request(worker, new ControlMessage.RolloutRequest())).isEqualTo(shuttingDown);
		assertThat(harness.request(worker, new ControlMessage.ScaleRequest(3))).isEqualTo(shuttingDown);
	}

	@Test
	void startsNoWorkerWhileShuttingDown() {
		MasterHarness harness = new MasterHarness(new TestSettings().workers(3).startConcurrency(1));
		harness.signal("TERM");
		harness.exit(harness.worker(1), 143);
		harness.advance(Duration.ofSeconds(5));
		assertThat(harness.launcher.launched).hasSize(1);
		assertThat(harness.master.isFinished()).isTrue();
	}

	@Test
	void aWorkerThatCrashesWhileShuttingDownIsNotRespawned() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.signal("TERM");
		harness.exit(harness.worker(1), 1);
		harness.advance(Duration.ofSeconds(5));
		assertThat(harness.launcher.launched).hasSize(2);
	}

}
