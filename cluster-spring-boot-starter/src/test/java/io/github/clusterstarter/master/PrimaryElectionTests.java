package io.github.clusterstarter.master;

import java.time.Duration;
import java.util.List;

import io.github.clusterstarter.control.ControlMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PrimaryElection}.
 */
@ExtendWith(OutputCaptureExtension.class)
class PrimaryElectionTests {

	@Test
	void theFirstReadyWorkerIsPrimaryAndEveryWorkerIsTold(CapturedOutput output) {
		MasterHarness harness = new MasterHarness(new TestSettings().workers(3));
		harness.launcher.launched.forEach(harness::connect);
		harness.ready(harness.worker(3));
		assertThat(output).contains("Worker 3 (pid 1003) is now the primary worker");
		assertThat(primaries(harness, 1)).containsExactly(0L, 1003L);
		assertThat(primaries(harness, 2)).containsExactly(0L, 1003L);
		assertThat(primaries(harness, 3)).containsExactly(0L, 1003L);
		assertThat(harness.status().master().primaryWorker()).isEqualTo(3);
	}

	@Test
	void theRoleSticksToItsProcess() {
		MasterHarness harness = new MasterHarness(new TestSettings().workers(3).watchdogTimeout(Duration.ZERO));
		harness.ready(harness.worker(2));
		harness.ready(harness.worker(1));
		harness.ready(harness.worker(3));
		harness.advance(Duration.ofMinutes(5));
		assertThat(harness.status().master().primaryWorker()).isEqualTo(2);
		assertThat(primaries(harness, 1)).containsExactly(1002L);
	}

	@Test
	void movesToTheLowestReadyIdWhenThePrimaryExits() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().workers(3));
		harness.exit(harness.worker(1), 137);
		assertThat(harness.status().master().primaryWorker()).isEqualTo(2);
		assertThat(primaries(harness, 3)).containsExactly(1001L, 1002L);
		FakeWorkerJvm respawned = harness.worker(1);
		harness.ready(respawned);
		assertThat(harness.status().master().primaryWorker()).isEqualTo(2);
		assertThat(harness.connection(respawned).sent(ControlMessage.Primary.class))
			.containsExactly(new ControlMessage.Primary(1002));
	}

	@Test
	void movesWhenThePrimaryHangs() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.advance(Duration.ofSeconds(20));
		harness.heartbeat(harness.worker(2), 0);
		harness.advance(Duration.ofSeconds(10));
		assertThat(harness.status().master().primaryWorker()).isEqualTo(2);
		assertThat(primaries(harness, 2)).containsExactly(1001L, 1002L);
	}

	@Test
	void movesWhenThePrimaryIsReplaced() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.request(harness.worker(2), new ControlMessage.RestartRequest(1));
		FakeWorkerJvm replacement = harness.worker(1);
		harness.connection(replacement);
		assertThat(harness.status().master().primaryWorker()).isEqualTo(1);
		harness.ready(replacement);
		assertThat(harness.status().master().primaryWorker()).isEqualTo(1);
		assertThat(primaries(harness, 2)).containsExactly(1001L, 1003L);
	}

	@Test
	void movesWhenThePrimaryIsBeingRemoved() {
		MasterHarness harness = new MasterHarness(new TestSettings());
		harness.ready(harness.worker(2));
		harness.ready(harness.worker(1));
		harness.signal("TTOU");
		assertThat(harness.worker(2).hasExited()).isFalse();
		assertThat(harness.status().master().primaryWorker()).isEqualTo(1);
		assertThat(primaries(harness, 2)).containsExactly(0L, 1002L, 1001L);
	}

	@Test
	void noneIsPrimaryWhileTheClusterShutsDown() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.signal("TERM");
		assertThat(primaries(harness, 1)).containsExactly(0L, 1001L, 0L);
		assertThat(primaries(harness, 2)).containsExactly(1001L, 0L);
	}

	private static List<Long> primaries(MasterHarness harness, int id) {
		return harness.connection(harness.worker(id))
			.sent(ControlMessage.Primary.class)
			.stream()
			.map(ControlMessage.Primary::pid)
			.toList();
	}

}
