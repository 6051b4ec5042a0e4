package io.github.clusterstarter.master;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import io.github.clusterstarter.socket.NativeMemory;

/**
 * Gives back the memory the master used and no longer needs. The master's JVM runs with
 * the flags given to the application, so its heap is sized for the application, yet once
 * the workers are up it holds little but garbage: from Spring's environment preparation,
 * later from status requests and rolling restarts.
 */
final class MasterFootprint {

	/** Growth of the master's RSS since it last shrank that makes it shrink again. */
	static final long GROWTH_BYTES = 8 * 1024 * 1024;

	/** The master shrinks at most this often when it only grew. */
	static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	private boolean shrunk;

	private long shrunkNanos;

	/**
	 * The lowest RSS seen since the last shrink: the collector uncommits memory
	 * concurrently, so the RSS right after a collection is no baseline.
	 */
	private long lowestRss = Long.MAX_VALUE;

	/**
	 * Collect, let the collector uncommit all but a small margin of free heap, and trim
	 * the C heap. Only the master's event loop pauses, for milliseconds; workers serve on.
	 * @param now the current {@link System#nanoTime()}
	 */
	void shrink(long now) {
		keepLittleFreeHeap();
		System.gc();
		NativeMemory.trim();
		this.shrunk = true;
		this.shrunkNanos = now;
		this.lowestRss = Long.MAX_VALUE;
	}

	/**
	 * Shrink again if the RSS grew by {@link #GROWTH_BYTES} above its lowest since the
	 * last shrink, at most once per {@link #INTERVAL_NANOS}. Nothing happens before the
	 * first shrink.
	 * @param rssBytes the master's RSS now
	 * @param now the current {@link System#nanoTime()}
	 * @return whether it shrank
	 */
	boolean shrinkIfGrown(long rssBytes, long now) {
		if (!this.shrunk) {
			return false;
		}
		this.lowestRss = Math.min(this.lowestRss, rssBytes);
		if (rssBytes - this.lowestRss < GROWTH_BYTES || now - this.shrunkNanos < INTERVAL_NANOS) {
			return false;
		}
		shrink(now);
		return true;
	}

	/**
	 * Lower the free heap the collector keeps after a collection (40-70% by default),
	 * unless the application's flags set it. Both flags are manageable at run time.
	 */
	private static void keepLittleFreeHeap() {
		try {
			HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
			if (isDefault(hotSpot, "MinHeapFreeRatio") && isDefault(hotSpot, "MaxHeapFreeRatio")) {
				hotSpot.setVMOption("MinHeapFreeRatio", "10");
				hotSpot.setVMOption("MaxHeapFreeRatio", "20");
			}
		}
		catch (RuntimeException | LinkageError ex) {
			// Not HotSpot, or no jdk.management module: the collection alone still helps
		}
	}

	private static boolean isDefault(HotSpotDiagnosticMXBean hotSpot, String flag) {
		return hotSpot.getVMOption(flag).getOrigin() == VMOption.Origin.DEFAULT;
	}

}
