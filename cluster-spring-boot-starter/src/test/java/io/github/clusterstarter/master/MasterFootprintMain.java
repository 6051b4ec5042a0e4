package io.github.clusterstarter.master;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Run by {@link MasterFootprintTests} in a child JVM, because shrinking changes the
 * JVM's flags and collects its heap: shrinks as the master does, then prints the free
 * heap ratios the JVM ends up with.
 */
public final class MasterFootprintMain {

	private MasterFootprintMain() {
	}

	public static void main(String[] args) {
		new MasterFootprint().shrink(System.nanoTime());
		HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		for (String flag : new String[] { "MinHeapFreeRatio", "MaxHeapFreeRatio" }) {
			System.out.println(flag + "=" + hotSpot.getVMOption(flag).getValue());
		}
	}

}
