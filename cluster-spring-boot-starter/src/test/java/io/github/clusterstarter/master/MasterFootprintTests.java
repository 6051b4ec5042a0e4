package io.github.clusterstarter.master;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MasterFootprintTests {

	private static final long HUGE = Long.MAX_VALUE / 2;

	private static final long MB = 1024 * 1024;

	private final MasterFootprint footprint = new MasterFootprint();

	@Test
	void shrinkKeepsLittleFreeHeapAfterCollections() {
		this.footprint.shrink(0);
		HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		assertThat(hotSpot.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo("10");
		assertThat(hotSpot.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo("20");
	}

	@Test
	void nothingShrinksBeforeTheFirstShrink() {
		assertThat(this.footprint.shrinkIfGrown(HUGE, HUGE)).isFalse();
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
		assertThat(this.footprint.shrinkIfGrown(80 * MB + growth, interval)).isTrue();
		assertThat(this.footprint.shrinkIfGrown(HUGE, interval + 1)).isFalse();
	}

}
