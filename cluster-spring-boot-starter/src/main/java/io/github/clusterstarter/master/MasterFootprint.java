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

	private static final String MIN_HEAP_FREE_RATIO = "MinHeapFreeRatio";

	private static final String MAX_HEAP_FREE_RATIO = "MaxHeapFreeRatio";

	private final Memory memory;

	private boolean shrunk;

	private long shrunkNanos;

	/**
	 * The lowest RSS seen since the last shrink: the collector uncommits memory
	 * concurrently, so the RSS right after a collection is no baseline.
	 */
	private long lowestRss = Long.MAX_VALUE;

	/**
	 * Create a footprint that acts on this JVM and the C heap of this process.
	 */
	MasterFootprint() {
		this(new HotSpotMemory());
	}

	/**
	 * Create a footprint that acts on the given memory.
	 * @param memory what memory is given back through
	 */
	MasterFootprint(Memory memory) {
		this.memory = memory;
	}

	/**
	 * Collect, let the collector uncommit all but a small margin of free heap, and trim
	 * the C heap. Only the master's event loop pauses, for milliseconds; workers serve on.
	 * @param now the current {@link System#nanoTime()}
	 */
	void shrink(long now) {
		keepLittleFreeHeap();
		this.memory.collect();
		this.memory.trimNativeHeap();
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
	 * unless the application's flags set it.
	 */
	private void keepLittleFreeHeap() {
		if (this.memory.isDefault(MIN_HEAP_FREE_RATIO) && this.memory.isDefault(MAX_HEAP_FREE_RATIO)) {
			this.memory.setFlag(MIN_HEAP_FREE_RATIO, "10");
			this.memory.setFlag(MAX_HEAP_FREE_RATIO, "20");
		}
	}

	/**
	 * What the master's memory is given back through: the JVM's flags and collector, and
	 * the C heap.
	 */
	interface Memory {

		/**
		 * Return whether a JVM flag still has its default value.
		 * @param flag the flag's name
		 * @return {@code false} if the flag was set, or cannot be read
		 */
		boolean isDefault(String flag);

		/**
		 * Set a JVM flag that is manageable at run time, if the JVM lets it be set.
		 * @param flag the flag's name
		 * @param value its new value
		 */
		void setFlag(String flag, String value);

		/**
		 * Run a full garbage collection.
		 */
		void collect();

		/**
		 * Return the C heap's free memory to the system.
		 */
		void trimNativeHeap();

	}

	/**
	 * The {@link Memory} of this process: HotSpot's flags through its diagnostic MXBean,
	 * {@link System#gc()} and {@link NativeMemory#trim()}.
	 */
	static final class HotSpotMemory implements Memory {

		@Override
		public boolean isDefault(String flag) {
			try {
				return hotSpot().getVMOption(flag).getOrigin() == VMOption.Origin.DEFAULT;
			}
			catch (RuntimeException | LinkageError ex) {
				// Not HotSpot, or no jdk.management module: the collection alone still helps
				return false;
			}
		}

		@Override
		public void setFlag(String flag, String value) {
			try {
				hotSpot().setVMOption(flag, value);
			}
			catch (RuntimeException | LinkageError ex) {
				// Not HotSpot, or no jdk.management module: the collection alone still helps
			}
		}

		private static HotSpotDiagnosticMXBean hotSpot() {
			return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		}

		@Override
		public void collect() {
			System.gc();
		}

		@Override
		public void trimNativeHeap() {
			NativeMemory.trim();
		}

	}

}
