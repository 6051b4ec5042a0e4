package io.github.clusterstarter.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.clusterstarter.control.WorkerIdentity;

/**
 * Finds the processes of a cluster by the marker option its master was started with,
 * which every worker inherits, so that workers whose master is gone are found too.
 */
final class ProcessesOfACluster {

	private ProcessesOfACluster() {
	}

	static List<ProcessHandle> marked(String marker) {
		String option = ClusterLauncher.MARKER_OPTION + marker;
		return ProcessHandle.allProcesses()
			.filter((handle) -> commandLine(handle.pid()).contains(option))
			.filter(ProcessHandle::isAlive)
			.toList();
	}

	static List<ProcessHandle> workers(String marker, long masterPid) {
		return marked(marker).stream()
			.filter((handle) -> handle.pid() != masterPid && !isClassDataSharingRun(handle.pid()))
			.toList();
	}

	private static boolean isClassDataSharingRun(long pid) {
		try {
			String environment = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
					StandardCharsets.ISO_8859_1);
			return environment.contains(WorkerIdentity.CDS_TRAINING_VARIABLE + "=");
		}
		catch (IOException ex) {
			return false;
		}
	}

	static List<String> commandLine(long pid) {
		try {
			return List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	/**
	 * Send a signal to a process with {@code kill}.
	 * @param pid the process
	 * @param signal the signal's name without {@code SIG}
	 */
	static void signal(long pid, String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
			if (kill.waitFor() != 0) {
				throw new AssertionError("kill -" + signal + " " + pid + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
