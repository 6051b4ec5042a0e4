package io.github.clusterstarter.master;

import java.time.Duration;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.ErrorCode;
import io.github.clusterstarter.status.ClusterStatus;
import io.github.clusterstarter.status.ReplacementReason;
import io.github.clusterstarter.status.WorkerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Scaling}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScalingTests {

	@Test
	void scalingUpAddsIdsAfterTheHighest(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		ControlMessage.MasterMessage answer = harness.request(harness.worker(1), new ControlMessage.ScaleRequest(4));
		assertThat(answer).isEqualTo(new ControlMessage.Accepted("scaling from 2 to 4 worker(s)"));
		assertThat(output).contains("Scaling from 2 to 4 worker(s)");
		assertThat(harness.launcher.launched).extracting(FakeWorkerJvm::workerId).containsExactly(1, 2, 3, 4);
		ClusterStatus status = harness.status();
		assertThat(status.master().desiredWorkers()).isEqualTo(4);
		assertThat(status.workers()).extracting(ClusterStatus.WorkerStatus::id).containsExactly(1, 2, 3, 4);
		assertThat(status.worker(4).orElseThrow().restarts()).isZero();
	}

	@Test
	void scalingDownStopsTheHighestIdsAndDropsThemOnceTheyExited(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().workers(4));
		assertThat(harness.request(harness.worker(1), new ControlMessage.ScaleRequest(2)))
			.isEqualTo(new ControlMessage.Accepted("scaling from 4 to 2 worker(s)"));
		assertThat(harness.launcher.launched).filteredOn(FakeWorkerJvm::isStopRequested)
			.extracting(FakeWorkerJvm::workerId)
			.containsExactly(3, 4);
		ClusterStatus stopping = harness.status();
		assertThat(stopping.master().desiredWorkers()).isEqualTo(2);
		assertThat(stopping.workers()).extracting(ClusterStatus.WorkerStatus::state)
			.containsExactly(WorkerState.READY, WorkerState.READY, WorkerState.STOPPING, WorkerState.STOPPING);
		assertThat(stopping.worker(4).orElseThrow().lastReplacement()).isEqualTo(ReplacementReason.SCALE);
		harness.exit(harness.worker(4), 143);
		assertThat(output).contains("Worker 4 removed; 3 worker(s) now");
		harness.exit(harness.worker(3), 143);
		assertThat(output).contains("Worker 3 removed; 2 worker(s) now");
		assertThat(harness.status().workers()).extracting(ClusterStatus.WorkerStatus::id).containsExactly(1, 2);
		assertThat(harness.launcher.launched).hasSize(4);
	}

	@Test
	void aWorkerThatWasNeverStartedIsDroppedAtOnce() {
		MasterHarness harness = new MasterHarness(new TestSettings().workers(3).startConcurrency(1));
		harness.ready(harness.worker(1));
		harness.signal("TTOU");
		harness.signal("TTOU");
		assertThat(harness.status().workers()).extracting(ClusterStatus.WorkerStatus::id).containsExactly(1, 2);
		harness.exit(harness.worker(2), 143);
		assertThat(harness.status().workers()).extracting(ClusterStatus.WorkerStatus::id).containsExactly(1);
		assertThat(harness.launcher.launched).hasSize(2);
	}

	@Test
	void aRemovedWorkerThatWillNotExitIsKilledAfterTheStopTimeoutAndFreesItsId(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().stopTimeout(Duration.ofSeconds(20)));
		harness.signal("TTOU");
		harness.advance(Duration.ofSeconds(19));
		assertThat(harness.worker(2).killed).isFalse();
		assertThat(harness.request(harness.worker(1), new ControlMessage.ScaleRequest(2)))
			.isEqualTo(new ControlMessage.Failure(ErrorCode.CONFLICT,
					"workers are still being removed after the last scale-down"));
		harness.advance(Duration.ofSeconds(1));
		assertThat(harness.worker(2).killed).isTrue();
		assertThat(output).containsOnlyOnce("Worker 2 (pid " + harness.worker(2).pid()
				+ ") did not exit within 20 s of being told to stop (cluster.worker.stop-timeout): killing it");
		assertThat(output).contains("Worker 2 removed; 1 worker(s) now");
		assertThat(harness.request(harness.worker(1), new ControlMessage.ScaleRequest(2)))
			.isEqualTo(new ControlMessage.Accepted("scaling from 1 to 2 worker(s)"));
	}

	@Test
	void aScaleUpThatDoesNotFitInTheAvailableMemoryIsRefusedWithTheFigures() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.rss.put(harness.worker(1).pid(), 300L << 20);
		harness.rss.put(harness.worker(2).pid(), 400L << 20);
		harness.availableBytes = 1000L << 20;
		harness.advance(Duration.ofSeconds(1));
		assertThat(harness.request(harness.worker(1), new ControlMessage.ScaleRequest(5)))
			.isEqualTo(new ControlMessage.Failure(ErrorCode.INVALID, "scaling from 2 to 5 worker(s) needs about 3 x "
					+ "400 MB = 1200 MB more memory (the largest worker's resident memory), but only 1000 MB is "
					+ "available to the cluster"));
		assertThat(harness.launcher.launched).hasSize(2);
		assertThat(harness.request(harness.worker(1), new ControlMessage.ScaleRequest(4)))
			.isEqualTo(new ControlMessage.Accepted("scaling from 2 to 4 worker(s)"));
	}

	@Test
	void signalsScaleByOne(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.signal("TTIN");
		assertThat(output).contains("SIGTTIN: scaling from 2 to 3 worker(s)");
		assertThat(harness.launcher.launched).hasSize(3);
		harness.ready(harness.worker(3));
		harness.signal("TTOU");
		assertThat(output).contains("SIGTTOU: scaling from 3 to 2 worker(s)");
		assertThat(harness.worker(3).isStopRequested()).isTrue();
	}

	@Test
	void aNumberOutOfRangeIsInvalid() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().maxWorkers(8));
		assertThat(harness.request(harness.worker(1), new ControlMessage.ScaleRequest(0))).isEqualTo(
				new ControlMessage.Failure(ErrorCode.INVALID, "the number of workers must be from 1 to 8, not 0"));
		assertThat(harness.request(harness.worker(1), new ControlMessage.ScaleRequest(9))).isEqualTo(
				new ControlMessage.Failure(ErrorCode.INVALID, "the number of workers must be from 1 to 8, not 9"));
		assertThat(harness.request(harness.worker(1), new ControlMessage.ScaleRequest(8)))
			.isInstanceOf(ControlMessage.Accepted.class);
	}

	@Test
	void scalingDuringARolloutIsAConflict(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.signal("HUP");
		ControlMessage.MasterMessage answer = harness.request(harness.worker(2), new ControlMessage.ScaleRequest(3));
		assertThat(answer).isEqualTo(new ControlMessage.Failure(ErrorCode.CONFLICT,
				"a rolling restart is in progress: SIGHUP (0 of 2 replaced)"));
		harness.signal("TTIN");
		assertThat(output).contains("SIGTTIN ignored: a rolling restart is in progress");
		assertThat(harness.status().master().desiredWorkers()).isEqualTo(2);
	}

	@Test
	void scalingWhileWorkersAreBeingRemovedIsAConflict() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().workers(3));
		harness.request(harness.worker(1), new ControlMessage.ScaleRequest(2));
		assertThat(harness.request(harness.worker(1), new ControlMessage.ScaleRequest(4)))
			.isEqualTo(new ControlMessage.Failure(ErrorCode.CONFLICT,
					"workers are still being removed after the last scale-down"));
		harness.stoppedOnesExit();
		assertThat(harness.request(harness.worker(1), new ControlMessage.ScaleRequest(4)))
			.isEqualTo(new ControlMessage.Accepted("scaling from 2 to 4 worker(s)"));
		assertThat(harness.launcher.launched).extracting(FakeWorkerJvm::workerId).containsExactly(1, 2, 3, 3, 4);
	}

}
