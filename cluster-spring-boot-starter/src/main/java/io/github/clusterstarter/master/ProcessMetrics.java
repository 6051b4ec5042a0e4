package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a process's resident memory and CPU time from {@code /proc}, as {@code ps} does,
 * without asking the process.
 */
final class ProcessMetrics {

	/**
	 * Length of a clock tick in {@code /proc/PID/stat}: USER_HZ, 100 on Linux.
	 */
	static final double NANOS_PER_TICK = 10_000_000;

	private ProcessMetrics() {
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

	/**
	 * Return the CPU time a process used, user and system.
	 * @param pid the process
	 * @return the CPU time in clock ticks, 0 if the process is gone
	 */
	static long cpuTicks(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// Fields after the command name, which is in parentheses and may hold spaces
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

}
