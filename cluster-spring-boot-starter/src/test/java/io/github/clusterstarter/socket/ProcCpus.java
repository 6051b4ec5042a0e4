package io.github.clusterstarter.socket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the CPUs threads may run on from {@code /proc}, as {@code taskset} shows them,
 * independently of the code under test.
 */
public final class ProcCpus {

	private ProcCpus() {
	}

	/**
	 * Return the CPUs of every thread of a process.
	 * @param pid the process
	 * @return the CPU numbers of each thread
	 * @throws IOException if the process is gone
	 */
	public static List<List<Integer>> ofEveryThread(long pid) throws IOException {
		List<List<Integer>> cpus = new ArrayList<>();
		try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
			for (Path task : tasks.toList()) {
				try {
					cpus.add(allowed(task.resolve("status")));
				}
				catch (IOException ex) {
					// The thread ended: its files are gone, or reading them fails with ESRCH while it exits
				}
			}
		}
		return cpus;
	}

	/**
	 * Return the CPUs of the calling thread.
	 * @return the CPU numbers, in ascending order
	 * @throws IOException if {@code /proc} cannot be read
	 */
	public static List<Integer> ofCallingThread() throws IOException {
		return allowed(Path.of("/proc/thread-self/status"));
	}

	// "Cpus_allowed_list:	0-2,5"
	private static List<Integer> allowed(Path status) throws IOException {
		String list = Files.readAllLines(status)
			.stream()
			.filter((line) -> line.startsWith("Cpus_allowed_list:"))
			.findFirst()
			.orElseThrow()
			.split(":")[1].trim();
		List<Integer> cpus = new ArrayList<>();
		for (String range : list.split(",")) {
			String[] bounds = range.split("-");
			for (int cpu = Integer.parseInt(bounds[0]); cpu <= Integer.parseInt(bounds[bounds.length - 1]); cpu++) {
				cpus.add(cpu);
			}
		}
		return cpus;
	}

}
