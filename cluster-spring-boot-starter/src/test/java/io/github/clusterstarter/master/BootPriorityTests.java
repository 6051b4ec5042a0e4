package io.github.clusterstarter.master;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the {@link BootPriority} the master gives each process it starts (in the
 * background exactly when it boots beside serving workers without restoring capacity
 * the cluster lacks: a replacement whose predecessor serves, a standby) and for the
 * {@link BackgroundBootDeadline}.
 */
@ExtendWith(OutputCaptureExtension.class)
class BootPriorityTests {

	@Test
	void theFirstWorkersBootAtTheMastersPriority() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().workers(2));
		assertThat(priorities(harness.launcher.launched)).containsExactly(BootPriority.NORMAL, BootPriority.NORMAL);
	}

	@Test
	void aRespawnBesideAServingWorkerBootsAtTheMastersPriorityToRestoreTheLostCapacity() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().workers(2));
		harness.exit(harness.worker(2), 137);
		assertThat(harness.worker(2).priority).isEqualTo(BootPriority.NORMAL);
	}

	@Test
	void aRespawnOfTheOnlyWorkerBootsAtTheMastersPriorityAsNothingServes() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().workers(1));
		harness.exit(harness.worker(1), 137);
		assertThat(harness.worker(1).priority).isEqualTo(BootPriority.NORMAL);
	}

	@Test
	void replacementsOfARollingRestartAndStandbysBootInTheBackground() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().workers(2).standby(1));
		FakeWorkerJvm standby = harness.launcher.of(0).get(0);
		assertThat(standby.priority).isEqualTo(BootPriority.BACKGROUND);
		harness.signal("HUP");
		assertThat(harness.worker(1).priority).isEqualTo(BootPriority.BACKGROUND);
	}

	@Test
	void aWorkerAddedByScalingUpBootsAtTheMastersPriorityAsTheClusterLacksIt() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().workers(1));
		harness.signal("TTIN");
		assertThat(harness.worker(2).priority).isEqualTo(BootPriority.NORMAL);
	}

	@Test
	void aBackgroundBootGetsTheServingPriorityAfterHalfTheReadyTimeoutOnce(CapturedOutput output) {
		MasterHarness harness = MasterHarness
			.allReady(new TestSettings().workers(2).readyTimeout(Duration.ofSeconds(60)));
		harness.signal("HUP");
		FakeWorkerJvm replacement = harness.worker(1);
		harness.advance(Duration.ofSeconds(29));
		assertThat(replacement.servingPriorities).isZero();
		harness.advance(Duration.ofSeconds(1));
		assertThat(replacement.servingPriorities).isOne();
		assertThat(output).contains("Worker 1 (pid %d) still boots after 30 s at a lower CPU priority".formatted(
				replacement.pid));
		harness.advance(Duration.ofSeconds(10));
		assertThat(replacement.servingPriorities).isOne();
		assertThat(harness.worker(2).servingPriorities).as("a worker that serves").isZero();
	}

	@Test
	void aBackgroundBootThatGetsReadyInTimeKeepsItsPriorityToTakeBackItself() {
		MasterHarness harness = MasterHarness
			.allReady(new TestSettings().workers(2).readyTimeout(Duration.ofSeconds(60)));
		harness.signal("HUP");
		FakeWorkerJvm replacement = harness.worker(1);
		harness.advance(Duration.ofSeconds(20));
		harness.ready(replacement);
		harness.advance(Duration.ofSeconds(60));
		assertThat(replacement.servingPriorities).isZero();
	}

	@Test
	void aRespawnAtTheMastersPriorityIsLeftAlone() {
		MasterHarness harness = MasterHarness
			.allReady(new TestSettings().workers(2).readyTimeout(Duration.ofSeconds(60)));
		harness.exit(harness.worker(2), 137);
		harness.advance(Duration.ofSeconds(40));
		assertThat(harness.worker(2).servingPriorities).isZero();
	}

	@Test
	void aFirstBootAtTheMastersPriorityIsLeftAlone() {
		MasterHarness harness = new MasterHarness(
				new TestSettings().workers(1).readyTimeout(Duration.ofSeconds(60)));
		harness.advance(Duration.ofSeconds(40));
		assertThat(harness.worker(1).servingPriorities).isZero();
	}

	private static List<BootPriority> priorities(List<FakeWorkerJvm> launched) {
		return launched.stream().map((jvm) -> jvm.priority).toList();
	}

}
