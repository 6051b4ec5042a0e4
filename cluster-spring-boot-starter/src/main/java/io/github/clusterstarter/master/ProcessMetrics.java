package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a process's resident memory from {@code /proc}, as {@code ps} does, without
 * asking the process: the JDK's {@link ProcessHandle.Info} has no memory figures. Also
 * the memory still available to this process's group of processes, which the JDK's
 * container support does not give: its {@code getFreeMemorySize()} counts the page cache
 * as used.
 */
final class ProcessMetrics {

	private static final long UNLIMITED = Long.MAX_VALUE;

	private ProcessMetrics() {
	}

	/**
	 * Return the memory that new processes can still use: the system's available memory,
	 * or less if this process's control group (a container's limit, a systemd unit's
	 * {@code MemoryMax=}) or one above it leaves less.
	 * @return the available memory in bytes, {@link Long#MAX_VALUE} if it cannot be read
	 */
	static long availableBytes() {
		return Math.min(meminfoAvailable(), cgroupRemaining(Path.of("/proc/self/cgroup"), Path.of("/sys/fs/cgroup")));
	}

	/**
	 * Return what the memory limits of a process's control groups leave, in cgroup v2 and
	 * in the v1 memory hierarchy.
	 * @param membership the process's {@code /proc/PID/cgroup}
	 * @param mounts where the cgroup file systems are mounted
	 * @return the memory left in bytes, {@link Long#MAX_VALUE} if no group limits it
	 */
	static long cgroupRemaining(Path membership, Path mounts) {
		List<String> lines;
		try {
			lines = Files.readAllLines(membership);
		}
		catch (IOException ex) {
			return UNLIMITED;
		}
		long remaining = UNLIMITED;
		for (String line : lines) {
			// hierarchy-id:controllers:path, with "0::path" for cgroup v2
			String[] fields = line.split(":", 3);
			if (fields.length < 3) {
				continue;
			}
			if (fields[0].equals("0") && fields[1].isEmpty()) {
				remaining = Math.min(remaining, tightest(mounts, fields[2], "memory.max", "memory.current"));
			}
			else if (List.of(fields[1].split(",")).contains("memory")) {
				remaining = Math.min(remaining, tightest(mounts.resolve("memory"), fields[2],
						"memory.limit_in_bytes", "memory.usage_in_bytes"));
			}
		}
		return remaining;
	}

	// A group's limit holds for every group below it: the tightest on the way to the root counts
	private static long tightest(Path root, String group, String limit, String usage) {
		long remaining = UNLIMITED;
		Path directory = root.resolve(group.replaceFirst("^/+", "")).normalize();
		while (directory != null && directory.startsWith(root)) {
			remaining = Math.min(remaining, remaining(directory.resolve(limit), directory.resolve(usage)));
			directory = directory.getParent();
		}
		return remaining;
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
