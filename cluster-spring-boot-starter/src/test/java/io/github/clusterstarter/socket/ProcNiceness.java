package io.github.clusterstarter.socket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Reads nice values from {@code /proc}, as {@code ps} does, independently of the code
 * under test, and starts threads at a raised one.
 */
public final class ProcNiceness {

	private ProcNiceness() {
	}

	/**
	 * Return the nice value of a process's main thread.
	 * @param pid the process
	 * @return its nice value
	 * @throws IOException if the process is gone
	 */
	public static int ofProcess(long pid) throws IOException {
		return of(Path.of("/proc", Long.toString(pid), "stat"));
	}

	/**
	 * Return the nice value of every thread of a process.
	 * @param pid the process
	 * @return one nice value per thread
	 * @throws IOException if the process is gone
	 */
	public static List<Integer> ofEveryThread(long pid) throws IOException {
		List<Integer> niceness = new ArrayList<>();
		try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
			for (Path task : tasks.toList()) {
				try {
					niceness.add(of(task.resolve("stat")));
				}
				catch (IOException ex) {
					// The thread ended: no such file, or no such process on reading it
				}
			}
		}
		return niceness;
	}

	/**
	 * Start a thread of this process at the given nice value, started by a thread at that
	 * value too, which waits until told.
	 * @param niceness the nice value
	 * @param done what ends the thread
	 * @return the thread
	 */
	public static Thread startRaised(int niceness, CountDownLatch done) {
		try {
			return ThreadNiceness.onThreadOfItsOwn(niceness, () -> {
				Thread thread = new Thread(() -> {
					try {
						done.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}, "raised");
				thread.start();
				return thread;
			});
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	// Field 19 of a stat file, counted after the command name, which may hold spaces
	private static int of(Path stat) throws IOException {
		String line = Files.readString(stat);
		return Integer.parseInt(line.substring(line.lastIndexOf(')') + 2).split(" ")[16]);
	}

}
