package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a process's resident memory from {@code /proc}, as {@code ps} does, without
 * asking the process: the JDK's {@link ProcessHandle.Info} has no memory figures.
 */
final class ProcessMetrics {

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

}
