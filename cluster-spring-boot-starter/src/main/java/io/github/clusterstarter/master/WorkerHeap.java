package io.github.clusterstarter.master;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.regex.Pattern;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.OperatingSystemMXBean;
import com.sun.management.VMOption;
import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Decides each worker's maximum heap when the application does not. A JVM sizes its
 * default heap as if it were alone (a quarter of the container's memory limit, or of
 * {@code -XX:MaxRAM}), so N workers would together claim N quarters and be killed by the
 * kernel under load. Unless the heap is set ({@code -Xmx}, {@code -XX:MaxHeapSize},
 * {@code -XX:MaxRAMPercentage}, {@code -XX:MaxRAMFraction}, on the command line, in
 * {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} or {@code cluster.worker.jvm-args}),
 * each worker gets {@code -Xmx} of an equal share of half that memory; the other half is
 * left for the master and for what a JVM uses besides its heap (metaspace, thread stacks,
 * code cache, direct buffers).
 */
final class WorkerHeap {

	private static final Log logger = LogFactory.getLog(WorkerHeap.class);

	/**
	 * The smallest heap a worker gets: below it a Spring Boot web application spends its
	 * time collecting garbage, if it starts at all.
	 */
	static final long MIN_BYTES = 64L << 20;

	private static final List<String> HEAP_FLAGS = List.of("MaxHeapSize", "MaxRAMPercentage", "MaxRAMFraction");

	private static final Pattern HEAP_OPTION = Pattern
		.compile("-Xmx.*|-XX:(MaxHeapSize|MaxRAMPercentage|MaxRAMFraction)=.*");

	private WorkerHeap() {
	}

	/**
	 * Give the workers their share of the memory, unless the heap is set.
	 * @param command the workers' command
	 * @param workerJvmArgs the options of {@code cluster.worker.jvm-args}
	 * @param workers the number of workers
	 * @return the command, with {@code -Xmx} added when the master decides it
	 * @throws ClusterConfigurationException if the workers' shares would be smaller than
	 * {@link #MIN_BYTES}
	 */
	static WorkerCommand size(WorkerCommand command, List<String> workerJvmArgs, int workers) {
		HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		boolean heapSet = HEAP_FLAGS.stream().anyMatch((flag) -> isSet(vm, flag))
				|| workerJvmArgs.stream().anyMatch((option) -> HEAP_OPTION.matcher(option).matches());
		if (heapSet) {
			long totalMemory = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getTotalMemorySize();
			String warning = WorkerJvmOptions.heapWarning(command.jvmOptions(), workers, totalMemory);
			if (warning != null) {
				logger.warn(warning);
			}
			return command;
		}
		VMOption maxRam = vm.getVMOption("MaxRAM");
		long memory = memory(isSet(maxRam), Long.parseLong(maxRam.getValue()),
				ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getTotalMemorySize());
		long share = share(memory, workers);
		logger.info("Each of the %d worker(s) gets -Xmx%dm: half of the %d MB %s, split between them. Set -Xmx or "
			.formatted(workers, share >> 20, memory >> 20,
					isSet(maxRam) ? "of -XX:MaxRAM" : "of memory this machine or container has")
				+ "-XX:MaxRAMPercentage (cluster.worker.jvm-args) to decide yourself.");
		return command.withJvmOption("-Xmx" + (share >> 20) + "m");
	}

	/**
	 * Return the memory a JVM sizes its default heap from: {@code -XX:MaxRAM} when it is
	 * set, else the machine's or container's memory, at most the default
	 * {@code MaxRAM}.
	 * @param maxRamSet whether {@code -XX:MaxRAM} is set
	 * @param maxRam its value
	 * @param totalMemory the memory of the machine or container
	 * @return the memory
	 */
	static long memory(boolean maxRamSet, long maxRam, long totalMemory) {
		return maxRamSet ? maxRam : Math.min(maxRam, totalMemory);
	}

	/**
	 * Return a worker's heap: an equal share of half the memory, in whole megabytes.
	 * @param memory the memory the JVMs size their heaps from
	 * @param workers the number of workers
	 * @return the maximum heap of each worker
	 * @throws ClusterConfigurationException if it would be smaller than
	 * {@link #MIN_BYTES}
	 */
	static long share(long memory, int workers) {
		long share = ((memory / 2 / workers) >> 20) << 20;
		if (share < MIN_BYTES) {
			throw new ClusterConfigurationException(("%d workers do not fit in %d MB of memory: their heaps may take "
					+ "half of it together, %d MB each, and a worker needs at least %d MB.")
				.formatted(workers, memory >> 20, share >> 20, MIN_BYTES >> 20),
					("Run at most %d worker(s) (cluster.workers), give the container or -XX:MaxRAM at least %d MB, "
							+ "or set the workers' heap yourself with cluster.worker.jvm-args=-Xmx...")
						.formatted(Math.max(1, memory / 2 / MIN_BYTES), workers * MIN_BYTES * 2 >> 20));
		}
		return share;
	}

	static boolean isSet(HotSpotDiagnosticMXBean vm, String flag) {
		try {
			return isSet(vm.getVMOption(flag));
		}
		catch (IllegalArgumentException ex) {
			// Gone from newer JVMs (Java 25 has no MaxRAMFraction), so nobody can have set it
			return false;
		}
	}

	private static boolean isSet(VMOption option) {
		return option.getOrigin() != VMOption.Origin.DEFAULT && option.getOrigin() != VMOption.Origin.ERGONOMIC;
	}

}
