package io.github.clusterstarter.master;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MasterFootprintTests {

	private static final long HUGE = Long.MAX_VALUE / 2;

	private static final long MB = 1024 * 1024;

	private final RecordingMemory memory = new RecordingMemory();

	private final MasterFootprint footprint = new MasterFootprint(this.memory);

	@Test
	void shrinkKeepsLittleFreeHeapThenCollectsAndTrimsTheCHeap() {
		this.footprint.shrink(0);
		assertThat(this.memory.calls).containsExactly("set MinHeapFreeRatio=10", "set MaxHeapFreeRatio=20",
				"collect", "trim");
	}

	@Test
	void shrinkLeavesTheFreeHeapRatiosAloneWhenTheApplicationSetsOne() {
		this.memory.setByApplication.add("MaxHeapFreeRatio");
		this.footprint.shrink(0);
		assertThat(this.memory.calls).containsExactly("collect", "trim");
	}

	@Test
	void nothingShrinksBeforeTheFirstShrink() {
		assertThat(this.footprint.shrinkIfGrown(HUGE, HUGE)).isFalse();
		assertThat(this.memory.calls).isEmpty();
	}

	@Test
	void shrinksAgainOnlyAfterGrowingFromItsLowestAndAfterTheInterval() {
		long interval = MasterFootprint.INTERVAL_NANOS;
		long growth = MasterFootprint.GROWTH_BYTES;
		this.footprint.shrink(0);
		assertThat(this.footprint.shrinkIfGrown(100 * MB, 1)).isFalse();
		assertThat(this.footprint.shrinkIfGrown(80 * MB, 2)).isFalse();
		assertThat(this.footprint.shrinkIfGrown(80 * MB + growth, interval - 1)).isFalse();
		assertThat(this.footprint.shrinkIfGrown(80 * MB + growth - 1, interval)).isFalse();
		assertThat(this.memory.calls).filteredOn("collect"::equals).hasSize(1);
		assertThat(this.footprint.shrinkIfGrown(80 * MB + growth, interval)).isTrue();
		assertThat(this.footprint.shrinkIfGrown(HUGE, interval + 1)).isFalse();
		assertThat(this.memory.calls).filteredOn("collect"::equals).hasSize(2);
	}

	@Test
	void hotSpotMemoryLowersTheFreeHeapRatiosOfItsJvm() throws Exception {
		assertThat(shrinkInChildJvm()).containsExactly("MinHeapFreeRatio=10", "MaxHeapFreeRatio=20");
	}

	@Test
	void hotSpotMemoryKeepsTheFreeHeapRatiosTheJvmWasGiven() throws Exception {
		assertThat(shrinkInChildJvm("-XX:MaxHeapFreeRatio=50")).containsExactly("MinHeapFreeRatio=40",
				"MaxHeapFreeRatio=50");
	}

	/**
	 * Run {@link MasterFootprintMain} in a JVM of its own, since it changes that JVM's
	 * flags and collects its heap.
	 * @param jvmOptions options for that JVM
	 * @return the lines it wrote
	 */
	private static List<String> shrinkInChildJvm(String... jvmOptions) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// A fixed collector, whose default ratios are 40 and 70
		command.add("-XX:+UseSerialGC");
		command.addAll(List.of(jvmOptions));
		// Surefire sets java.class.path to the test class path, not to its booter jar
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), MasterFootprintMain.class.getName()));
		Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM exited").isTrue();
			String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(child.exitValue()).as(output).isZero();
			return output.lines().toList();
		}
		finally {
			child.destroyForcibly();
		}
	}

	/**
	 * A {@link MasterFootprint.Memory} that records the calls it gets.
	 */
	private static final class RecordingMemory implements MasterFootprint.Memory {

		private final List<String> calls = new ArrayList<>();

		private final Set<String> setByApplication = new HashSet<>();

		@Override
		public boolean isDefault(String flag) {
			return !this.setByApplication.contains(flag);
		}

		@Override
		public void setFlag(String flag, String value) {
			this.calls.add("set " + flag + "=" + value);
		}

		@Override
		public void collect() {
			this.calls.add("collect");
		}

		@Override
		public void trimNativeHeap() {
			this.calls.add("trim");
		}

	}

}
