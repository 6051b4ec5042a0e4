package io.github.clusterstarter.master;

import java.time.Duration;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.status.ClusterStatus;
import io.github.clusterstarter.status.ReplacementReason;
import io.github.clusterstarter.status.WorkerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RespawnPolicy}: respawns, their backoff, and the crash-loop guard.
 */
@ExtendWith(OutputCaptureExtension.class)
class RespawnPolicyTests {

	@Test
	void respawnsAtOnceThenAfterADelayThatDoublesUpToTheMaximum(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(backoffSettings());
		crashAndExpectRespawnAfter(harness, Duration.ZERO);
		crashAndExpectRespawnAfter(harness, Duration.ofSeconds(1));
		crashAndExpectRespawnAfter(harness, Duration.ofSeconds(2));
		crashAndExpectRespawnAfter(harness, Duration.ofSeconds(4));
		crashAndExpectRespawnAfter(harness, Duration.ofSeconds(4));
		assertThat(output).contains("Restarting worker 1 in 0 ms", "Restarting worker 1 in 1000 ms",
				"Restarting worker 1 in 2000 ms", "Restarting worker 1 in 4000 ms");
	}

	@Test
	void theDelayStartsOverOnceAWorkerWasReadyForTheResetTime() {
		MasterHarness harness = MasterHarness.allReady(backoffSettings());
		crashAndExpectRespawnAfter(harness, Duration.ZERO);
		crashAndExpectRespawnAfter(harness, Duration.ofSeconds(1));
		harness.advance(Duration.ofSeconds(59));
		crashAndExpectRespawnAfter(harness, Duration.ofSeconds(2));
		harness.advance(Duration.ofSeconds(60));
		crashAndExpectRespawnAfter(harness, Duration.ZERO);
		crashAndExpectRespawnAfter(harness, Duration.ofSeconds(1));
	}

	@Test
	void aWorkerThatFailsToBootIsRespawnedWithTheSameBackoff() {
		MasterHarness harness = new MasterHarness(new TestSettings().workers(1));
		harness.exit(harness.worker(1), 1);
		assertThat(harness.launcher.launched).hasSize(2);
		harness.exit(harness.worker(1), 1);
		assertThat(harness.launcher.launched).hasSize(2);
		harness.advance(Duration.ofSeconds(1));
		assertThat(harness.launcher.launched).hasSize(3);
	}

	@Test
	void logsAnUnexpectedExitWithAHint(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.advance(Duration.ofSeconds(5));
		harness.exit(harness.worker(2), 137);
		assertThat(output).contains("Worker 2 (pid 1002) exited unexpectedly with status 137 after 5 s (killed by "
				+ "SIGKILL: kill -9 or the kernel's out-of-memory killer)");
		assertThat(harness.status(2).lastReplacement()).isEqualTo(ReplacementReason.CRASH);
	}

	@Test
	void givesUpAfterMaxBootFailuresInARowAndExitsWithStatusOne(CapturedOutput output) {
		MasterHarness harness = new MasterHarness(new TestSettings().maxBootFailures(3));
		failBoot(harness, 1);
		failBoot(harness, 2);
		assertThat(output).contains("Worker 2 (pid 1002) exited with status 1 before it became ready (Boot failure "
				+ "requested by test); boot failure 2 of 3 allowed in a row");
		FakeWorkerJvm survivor = harness.worker(2);
		failBoot(harness, 1);
		assertThat(output).contains("Giving up: 3 worker(s) in a row failed to boot. The last one, "
				+ "Worker 1 (pid 1003), exited with status 1 before it became ready (Boot failure requested by test).")
			.contains("Shutting down (crash loop): stopping 1 worker(s) gracefully");
		assertThat(survivor.isStopRequested()).isTrue();
		assertThat(harness.master.isFinished()).isFalse();
		harness.stoppedOnesExit();
		assertThat(harness.master.isFinished()).isTrue();
		assertThat(harness.master.exitStatus()).isOne();
		assertThat(harness.launcher.launched).hasSize(4);
	}

	@Test
	void aReadyWorkerResetsTheBootFailuresInARow() {
		MasterHarness harness = new MasterHarness(new TestSettings().maxBootFailures(3));
		failBoot(harness, 1);
		failBoot(harness, 2);
		harness.ready(harness.worker(1));
		failBoot(harness, 2);
		harness.advance(Duration.ofSeconds(1));
		failBoot(harness, 2);
		assertThat(harness.master.isFinished()).isFalse();
		assertThat(harness.status(2).state()).isEqualTo(WorkerState.RESTARTING);
		assertThat(harness.status(2).lastReplacement()).isEqualTo(ReplacementReason.BOOT_FAILURE);
		harness.advance(Duration.ofSeconds(2));
		failBoot(harness, 2);
		assertThat(harness.master.exitStatus()).isOne();
	}

	@Test
	void givesUpWhenWorkersCannotBeStarted(CapturedOutput output) {
		MasterHarness harness = new MasterHarness(new TestSettings().workers(1).maxBootFailures(2),
				(launcher) -> launcher.failNext(2));
		assertThat(output).containsSubsequence("Cannot start worker 1: no such file: java", "Restarting worker 1 in 0 ms",
				"Cannot start worker 1: no such file: java", "Shutting down (workers cannot be started)");
		assertThat(harness.launcher.launched).isEmpty();
		assertThat(harness.master.isFinished()).isTrue();
		assertThat(harness.master.exitStatus()).isOne();
	}

	@Test
	void onceStartedAScaleUpThatKeepsFailingIsGivenUpOnWhileTheOthersServe(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().maxBootFailures(3));
		harness.request(harness.worker(1), new ControlMessage.ScaleRequest(3));
		failBoot(harness, 3);
		harness.advance(Duration.ofSeconds(1));
		failBoot(harness, 3);
		harness.advance(Duration.ofSeconds(2));
		failBoot(harness, 3);
		assertThat(output).contains("Gave up on worker(s) [3]: 3 worker(s) in a row failed to boot. The last one, "
				+ "Worker 3 (pid 1005), exited with status 1 before it became ready (Boot failure requested by test). "
				+ "The cluster keeps serving with 2 worker(s)")
			.doesNotContain("Shutting down");
		assertThat(harness.master.isFinished()).isFalse();
		ClusterStatus status = harness.status();
		assertThat(status.master().desiredWorkers()).isEqualTo(2);
		assertThat(status.workers()).extracting(ClusterStatus.WorkerStatus::id).containsExactly(1, 2);
		assertThat(status.count(WorkerState.READY)).isEqualTo(2);
		assertThat(status.master().abandoned()).startsWith("gave up on worker(s) [3] at ")
			.contains("3 worker(s) in a row failed to boot");
		harness.advance(Duration.ofMinutes(5));
		assertThat(harness.launcher.launched).hasSize(5);
		assertThat(harness.request(harness.worker(1), new ControlMessage.ScaleRequest(3)))
			.isEqualTo(new ControlMessage.Accepted("scaling from 2 to 3 worker(s)"));
	}

	@Test
	void onceStartedAWorkerThatCannotBootAgainIsGivenUpOnWhileTheOthersServe(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().maxBootFailures(2));
		harness.exit(harness.worker(2), 137);
		failBoot(harness, 2);
		harness.advance(Duration.ofSeconds(1));
		failBoot(harness, 2);
		assertThat(output).contains("Gave up on worker(s) [2]");
		assertThat(harness.master.isFinished()).isFalse();
		assertThat(harness.status().workers()).extracting(ClusterStatus.WorkerStatus::id).containsExactly(1);
		assertThat(harness.worker(1).isStopRequested()).isFalse();
	}

	@Test
	void onceStartedAScaleUpThatCannotBeLaunchedIsGivenUpOn(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().maxBootFailures(2));
		harness.launcher.failNext(2);
		harness.request(harness.worker(1), new ControlMessage.ScaleRequest(3));
		harness.advance(Duration.ofSeconds(1));
		assertThat(output).contains("Gave up on worker(s) [3]: 2 worker(s) in a row could not be started");
		assertThat(harness.master.isFinished()).isFalse();
		assertThat(harness.status().master().desiredWorkers()).isEqualTo(2);
	}

	private static TestSettings backoffSettings() {
		return new TestSettings().workers(1)
			.backoff(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(60))
			.watchdogTimeout(Duration.ZERO);
	}

	private static void failBoot(MasterHarness harness, int id) {
		FakeWorkerJvm worker = harness.worker(id);
		harness.send(harness.connection(worker), new ControlMessage.Failed("Boot failure requested by test"));
		harness.exit(worker, 1);
	}

	private static void crashAndExpectRespawnAfter(MasterHarness harness, Duration delay) {
		int launched = harness.launcher.launched.size();
		harness.exit(harness.worker(1), 1);
		if (!delay.isZero()) {
			assertThat(harness.launcher.launched).hasSize(launched);
			harness.advance(delay.minusMillis(1));
			assertThat(harness.launcher.launched).hasSize(launched);
			harness.advance(Duration.ofMillis(1));
		}
		assertThat(harness.launcher.launched).hasSize(launched + 1);
		harness.ready(harness.worker(1));
	}

}
