package io.github.clusterstarter.master;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ServingCpus}: serving workers pinned one per CPU, and on every CPU
 * while a process boots.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServingCpusTests {

	@Test
	void theFirstWorkersArePinnedOnceNoneBoots(CapturedOutput output) {
		MasterHarness harness = new MasterHarness(new TestSettings().workers(2).servingCpus(2, 5));
		FakeWorkerJvm first = harness.worker(1);
		FakeWorkerJvm second = harness.worker(2);
		harness.ready(first);
		assertThat(first.placements).as("while worker 2 boots").isEmpty();
		assertThat(harness.status(1).cpu()).isNull();
		harness.ready(second);
		assertThat(first.placements).containsExactly(List.of(2));
		assertThat(second.placements).containsExactly(List.of(5));
		assertThat(harness.status(1).cpu()).isEqualTo(2);
		assertThat(harness.status(2).cpu()).isEqualTo(5);
		assertThat(output).contains(("Serving workers pinned to their CPUs (cluster.worker.cpu-affinity=auto): "
				+ "Worker 1 (pid %d) on CPU 2, Worker 2 (pid %d) on CPU 5").formatted(first.pid, second.pid));
	}

	@Test
	void servingWorkersRunOnEveryCpuWhileReplacementsBootAndOnTheirOwnAfterTheRollout(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().workers(2).servingCpus(0, 1));
		FakeWorkerJvm first = harness.worker(1);
		FakeWorkerJvm second = harness.worker(2);
		harness.signal("HUP");
		assertThat(first.placements).containsExactly(List.of(0), List.of(0, 1));
		assertThat(harness.status(1).cpu()).isNull();
		assertThat(second.placements).containsExactly(List.of(1), List.of(0, 1));
		assertThat(output).contains(("While a worker boots, serving workers run on every CPU: Worker 1 (pid %d), "
				+ "Worker 2 (pid %d)").formatted(first.pid, second.pid));
		FakeWorkerJvm firstReplacement = harness.worker(1);
		harness.ready(firstReplacement);
		harness.stoppedOnesExit();
		FakeWorkerJvm secondReplacement = harness.worker(2);
		assertThat(secondReplacement).isNotSameAs(second);
		assertThat(firstReplacement.placements).as("serving while worker 2's replacement boots").isEmpty();
		harness.ready(secondReplacement);
		harness.stoppedOnesExit();
		assertThat(firstReplacement.placements).containsExactly(List.of(0));
		assertThat(secondReplacement.placements).containsExactly(List.of(1));
		assertThat(second.placements).as("stopped, never pinned again").containsExactly(List.of(1), List.of(0, 1));
	}

	@Test
	void aPromotedStandbyIsPinnedToTheCpuOfItsIdOnceTheNextStandbyHasBooted() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().workers(2).standby(1).servingCpus(0, 1));
		FakeWorkerJvm standby = harness.launcher.of(0).get(0);
		harness.ready(standby);
		FakeWorkerJvm second = harness.worker(2);
		assertThat(second.placements).as("not while the standby booted").containsExactly(List.of(1));
		assertThat(standby.placements).as("it serves no one").isEmpty();
		harness.exit(harness.worker(1), 137);
		assertThat(harness.status(1).pid()).isEqualTo(standby.pid);
		assertThat(standby.placements).as("while the next standby boots").isEmpty();
		assertThat(second.placements).containsExactly(List.of(1), List.of(0, 1));
		harness.ready(harness.launcher.of(0).get(1));
		assertThat(standby.placements).containsExactly(List.of(0));
		assertThat(second.placements).containsExactly(List.of(1), List.of(0, 1), List.of(1));
	}

	@Test
	void moreWorkersThanCpusTakeThemInTurn() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().workers(3).servingCpus(4, 6));
		assertThat(harness.worker(1).placements).containsExactly(List.of(4));
		assertThat(harness.worker(2).placements).containsExactly(List.of(6));
		assertThat(harness.worker(3).placements).containsExactly(List.of(4));
	}

	@Test
	void withoutAutoOrWithOneCpuNoWorkerIsMoved() {
		for (TestSettings settings : List.of(new TestSettings(), new TestSettings().servingCpus(3))) {
			MasterHarness harness = MasterHarness.allReady(settings.workers(2));
			harness.signal("HUP");
			harness.launcher.running().forEach(harness::ready);
			harness.stoppedOnesExit();
			assertThat(harness.launcher.launched).allSatisfy((jvm) -> assertThat(jvm.placements).isEmpty());
		}
	}

	@Test
	void aWorkerThatCannotBeMovedIsWarnedOfOnceAndTheOthersArePinned(CapturedOutput output) {
		MasterHarness harness = new MasterHarness(new TestSettings().workers(2).servingCpus(0, 1));
		FakeWorkerJvm stuck = harness.worker(2);
		stuck.placementFailure = new UncheckedIOException(new IOException("Cannot list the threads of process 1002"));
		harness.ready(harness.worker(1));
		harness.ready(stuck);
		harness.heartbeats();
		harness.heartbeats();
		assertThat(harness.worker(1).placements).containsExactly(List.of(0));
		String warning = ("Cannot move Worker 2 (pid %d) to CPU 1: java.io.IOException: Cannot list the threads of "
				+ "process 1002").formatted(stuck.pid);
		assertThat(StringUtils.countOccurrencesOf(output.toString(), warning)).isOne();
		assertThat(harness.master.isFinished()).isFalse();
	}

}
