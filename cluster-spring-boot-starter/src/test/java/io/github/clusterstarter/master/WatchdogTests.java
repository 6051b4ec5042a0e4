package io.github.clusterstarter.master;

import java.time.Duration;
import java.util.Map;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.status.ReplacementReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Watchdog}.
 */
@ExtendWith(OutputCaptureExtension.class)
class WatchdogTests {

	@Test
	void aReadyWorkerWithoutHeartbeatsGetsAThreadDumpThenIsKilledAndReplaced(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		FakeWorkerJvm hung = harness.worker(1);
		FakeWorkerJvm alive = harness.worker(2);
		harness.advance(Duration.ofSeconds(29));
		harness.heartbeat(alive, 0);
		assertThat(hung.threadDumps).isZero();
		harness.advance(Duration.ofSeconds(1));
		assertThat(hung.threadDumps).isOne();
		assertThat(hung.killed).isFalse();
		assertThat(output).contains("Worker 1 (pid 1001) sent no heartbeat for 30 s (cluster.worker.timeout): "
				+ "requesting a thread dump");
		assertThat(harness.status().master().primaryWorker()).isEqualTo(2);
		harness.advance(Duration.ofMillis(1999));
		assertThat(hung.killed).isFalse();
		harness.advance(Duration.ofMillis(1));
		assertThat(hung.killed).isTrue();
		assertThat(hung.threadDumps).isOne();
		assertThat(alive.threadDumps).isZero();
		assertThat(output).contains("Worker 1 (pid 1001) was killed after it stopped sending heartbeats");
		assertThat(harness.launcher.of(1)).hasSize(2);
		assertThat(harness.status(1).lastReplacement()).isEqualTo(ReplacementReason.TIMEOUT);
		assertThat(harness.status().master().replacements()).isEqualTo(Map.of(ReplacementReason.TIMEOUT, 1L));
	}

	@Test
	void heartbeatsKeepAWorkerAlive() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		for (int i = 0; i < 10; i++) {
			harness.advance(Duration.ofSeconds(20));
			harness.heartbeats();
		}
		assertThat(harness.launcher.launched).hasSize(2).allSatisfy((jvm) -> {
			assertThat(jvm.threadDumps).isZero();
			assertThat(jvm.killed).isFalse();
		});
	}

	@Test
	void aTimeoutOfZeroTurnsTheWatchdogOff() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().watchdogTimeout(Duration.ZERO));
		harness.advance(Duration.ofHours(1));
		assertThat(harness.launcher.launched).hasSize(2).allSatisfy((jvm) -> assertThat(jvm.killed).isFalse());
	}

	@Test
	void aWorkerNotReadyWithinTheReadyTimeoutIsKilledAndCountsAsABootFailure(CapturedOutput output) {
		MasterHarness harness = new MasterHarness(new TestSettings().workers(1).readyTimeout(Duration.ofSeconds(20)));
		FakeWorkerJvm slow = harness.worker(1);
		harness.heartbeat(slow, 0);
		harness.advance(Duration.ofMillis(19999));
		assertThat(slow.killed).isFalse();
		harness.advance(Duration.ofMillis(1));
		assertThat(slow.killed).isTrue();
		assertThat(output).contains("Worker 1 (pid 1001) is not ready after 20 s (cluster.worker.ready-timeout): "
				+ "killing it")
			.contains("Worker 1 (pid 1001) was not ready within 20 s; boot failure 1 of 5 allowed in a row");
		FakeWorkerJvm next = harness.worker(1);
		assertThat(next).isNotSameAs(slow);
		harness.ready(next);
		assertThat(harness.status(1).lastReplacement()).isEqualTo(ReplacementReason.READY_TIMEOUT);
	}

	@Test
	void aReplacementNotReadyWithinTheReadyTimeoutFailsTheRollout() {
		MasterHarness harness = MasterHarness.allReady(
				new TestSettings().readyTimeout(Duration.ofSeconds(20)).watchdogTimeout(Duration.ZERO));
		harness.signal("HUP");
		FakeWorkerJvm replacement = harness.worker(1);
		harness.connection(replacement);
		harness.advance(Duration.ofSeconds(20));
		assertThat(replacement.killed).isTrue();
		assertThat(harness.status().rollout().reason())
			.isEqualTo("the replacement for worker 1, pid 1003, was not ready within 20 s");
		assertThat(harness.worker(1).pid()).isEqualTo(1003);
		assertThat(harness.status(1).pid()).isEqualTo(1001);
		assertThat(harness.launcher.launched).hasSize(3);
	}

	@Test
	void aProcessKilledAsHungIsKilledOnce() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().workers(1),
				(launcher) -> launcher.exitOnKill = false);
		FakeWorkerJvm hung = harness.worker(1);
		harness.advance(Duration.ofSeconds(30));
		harness.advance(Duration.ofSeconds(2));
		harness.advance(Duration.ofSeconds(2));
		assertThat(hung.kills).isOne();
		harness.send(harness.connection(hung), new ControlMessage.Heartbeat(0, 0, 0, 0));
		assertThat(hung.kills).isOne();
	}

}
