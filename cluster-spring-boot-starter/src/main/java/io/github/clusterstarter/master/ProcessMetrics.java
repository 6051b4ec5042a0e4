package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a process's resident memory from {@code /proc}, as {@code ps} does, without
 * asking the process: the JDK's {@link ProcessHandle.Info} has no memory figures. Also
 * the memory still available to this process's group of processes.
 */
final class ProcessMetrics {

	private static final long UNLIMITED = Long.MAX_VALUE;

	private ProcessMetrics() {
	}

	/**
	 * Return the memory that new processes can still use: the system's available memory,
	 * or less if this process's control group (a container's limit) leaves less.
	 * @return the available memory in bytes, {@link Long#MAX_VALUE} if it cannot be read
	 */
	static long availableBytes() {
		long system = meminfoAvailable();
		long cgroupV2 = remaining(Path.of("/sys/fs/cgroup/memory.max"), Path.of("/sys/fs/cgroup/memory.current"));
		long cgroupV1 = remaining(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
				Path.of("/sys/fs/cgroup/memory/memory.usage_in_bytes"));
		return Math.min(system, Math.min(cgroupV2, cgroupV1));
	}

	private static long meminfoAvailable() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemAvailable:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// Not Linux
		}
		return UNLIMITED;
	}

	private static long remaining(Path limit, Path usage) {
		try {
			String max = Files.readString(limit).trim();
			if (max.equals("max")) {
				return UNLIMITED;
			}
			return Math.max(0, Long.parseLong(max) - Long.parseLong(Files.readString(usage).trim()));
		}
		catch (IOException | NumberFormatException ex) {
			return UNLIMITED;
		}
	}

	/**
	 * Return the resident set size of a process.
	 * @param pid the process
	 * @return the RSS in bytes, 0 if the process is gone
	 */
	static long rssBytes(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// Gone, or not Linux
		}
		return 0;
	}

}
