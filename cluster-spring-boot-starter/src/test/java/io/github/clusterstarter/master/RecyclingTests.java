package io.github.clusterstarter.master;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.status.ClusterStatus;
import io.github.clusterstarter.status.ReplacementReason;
import io.github.clusterstarter.status.RolloutState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Recycling}.
 */
@ExtendWith(OutputCaptureExtension.class)
class RecyclingTests {

	private static final long MB = 1024 * 1024;

	@Test
	void recyclesAWorkerThatServedItsMaxRequestsLikeARollingRestart(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().maxRequests(100, 0));
		FakeWorkerJvm old = harness.worker(2);
		harness.heartbeat(harness.worker(1), 99);
		harness.heartbeat(old, 100);
		harness.advance(Duration.ofSeconds(1));
		assertThat(output).contains(
				"Recycling Worker 2 (pid 1002): it served 100 requests (cluster.worker.max-requests)");
		assertThat(harness.status().rollout().trigger())
			.isEqualTo("recycle worker 2: served 100 requests (cluster.worker.max-requests)");
		FakeWorkerJvm replacement = harness.worker(2);
		assertThat(replacement).isNotSameAs(old);
		assertThat(old.isStopRequested()).isFalse();
		harness.ready(replacement);
		assertThat(old.isStopRequested()).isTrue();
		ClusterStatus status = harness.status();
		assertThat(status.rollout().state()).isEqualTo(RolloutState.SUCCEEDED);
		assertThat(status.worker(2).orElseThrow().lastReplacement()).isEqualTo(ReplacementReason.RECYCLE);
		assertThat(status.master().replacements()).containsEntry(ReplacementReason.RECYCLE, 1L);
	}

	@Test
	void recyclesOneWorkerAtATimeInOrderOfTheirIds() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().workers(3).maxRequests(100, 0));
		harness.launcher.running().forEach((jvm) -> harness.heartbeat(jvm, 500));
		harness.advance(Duration.ofSeconds(1));
		assertThat(recycled(harness)).containsExactly(1);
		harness.advance(Duration.ofSeconds(5));
		assertThat(recycled(harness)).containsExactly(1);
		harness.ready(harness.worker(1));
		harness.advance(Duration.ofSeconds(1));
		assertThat(recycled(harness)).containsExactly(1, 2);
		harness.ready(harness.worker(2));
		harness.advance(Duration.ofSeconds(1));
		assertThat(recycled(harness)).containsExactly(1, 2, 3);
	}

	@Test
	void recyclesAWorkerThatGrewPastMaxMemory(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().maxMemoryBytes(768 * MB));
		harness.rss.put(harness.worker(1).pid(), 767 * MB);
		harness.rss.put(harness.worker(2).pid(), 800 * MB);
		harness.advance(Duration.ofSeconds(1));
		assertThat(output).contains("Recycling Worker 2 (pid 1002): it uses 800 MB of memory "
				+ "(cluster.worker.max-memory: 768 MB)");
		assertThat(recycled(harness)).containsExactly(2);
	}

	@Test
	void maxRequestsComesBeforeMaxMemory() {
		MasterHarness harness = MasterHarness
			.allReady(new TestSettings().maxRequests(100, 0).maxMemoryBytes(768 * MB));
		harness.rss.put(harness.worker(1).pid(), 800 * MB);
		harness.heartbeat(harness.worker(1), 100);
		harness.advance(Duration.ofSeconds(1));
		assertThat(harness.status().rollout().trigger())
			.isEqualTo("recycle worker 1: served 100 requests (cluster.worker.max-requests)");
	}

	@Test
	void waitsWhileARollingRestartIsInProgress() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings().maxRequests(100, 0));
		harness.signal("HUP");
		harness.heartbeat(harness.worker(2), 100);
		harness.advance(Duration.ofSeconds(3));
		assertThat(harness.launcher.launched).hasSize(3);
		assertThat(harness.status().rollout().trigger()).isEqualTo("SIGHUP");
		harness.ready(harness.worker(1));
		assertThat(harness.launcher.launched).hasSize(4);
		harness.ready(harness.worker(2));
		harness.advance(Duration.ofSeconds(1));
		assertThat(harness.launcher.launched).hasSize(4);
		assertThat(harness.status().rollout().state()).isEqualTo(RolloutState.SUCCEEDED);
	}

	@Test
	void eachProcessDrawsItsOwnJitter() {
		List<Long> bounds = new ArrayList<>();
		RandomGenerator random = new RandomGenerator() {

			@Override
			public long nextLong() {
				throw new UnsupportedOperationException();
			}

			@Override
			public long nextLong(long bound) {
				bounds.add(bound);
				return 10 * bounds.size();
			}

		};
		MasterHarness harness = new MasterHarness(new TestSettings().maxRequests(100, 50), random);
		harness.launcher.running().forEach(harness::ready);
		harness.heartbeat(harness.worker(1), 109);
		harness.heartbeat(harness.worker(2), 119);
		harness.advance(Duration.ofSeconds(1));
		assertThat(bounds).containsExactly(51L, 51L);
		assertThat(recycled(harness)).isEmpty();
		harness.heartbeat(harness.worker(2), 120);
		harness.advance(Duration.ofSeconds(1));
		assertThat(recycled(harness)).containsExactly(2);
	}

	@Test
	void neverRecyclesWithoutLimits() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.rss.put(harness.worker(1).pid(), 64L << 30);
		harness.send(harness.connection(harness.worker(1)), new ControlMessage.Heartbeat(0, 0, Long.MAX_VALUE, 0));
		harness.advance(Duration.ofSeconds(1));
		assertThat(harness.launcher.launched).hasSize(2);
	}

	/**
	 * Return the ids whose process was replaced, in order.
	 */
	private static List<Integer> recycled(MasterHarness harness) {
		return harness.launcher.launched.stream().skip(harness.status().workers().size())
			.map(FakeWorkerJvm::workerId)
			.toList();
	}

}
