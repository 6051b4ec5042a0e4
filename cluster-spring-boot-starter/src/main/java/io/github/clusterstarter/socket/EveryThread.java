package io.github.clusterstarter.socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

import com.sun.jna.LastErrorException;

/**
 * Changes what Linux keeps per thread, and a new thread inherits from the thread that
 * starts it (the nice value, the CPU affinity), on every thread of a process.
 */
final class EveryThread {

	private EveryThread() {
	}

	/**
	 * Change every thread of a process, also the threads that threads not yet changed
	 * start meanwhile.
	 * @param pid the process
	 * @param change changes the thread with the given id if it needs to, and returns
	 * whether it did; a thread that ended meanwhile ({@code ESRCH}) counts as unchanged
	 * @throws UncheckedIOException if the threads of the process cannot be listed, as when
	 * it is gone
	 */
	static void change(long pid, IntPredicate change) {
		// A thread started by one not yet changed inherits the old setting: go round until none has it
		boolean changed = true;
		while (changed) {
			changed = false;
			for (int thread : threads(pid)) {
				changed |= changeIfAlive(thread, change);
			}
		}
	}

	private static boolean changeIfAlive(int thread, IntPredicate change) {
		try {
			return change.test(thread);
		}
		catch (LastErrorException ex) {
			if (ex.getErrorCode() == LibC.ESRCH) {
				return false;
			}
			throw ex;
		}
	}

	private static List<Integer> threads(long pid) {
		Path tasks = Path.of("/proc", Long.toString(pid), "task");
		try (Stream<Path> threads = Files.list(tasks)) {
			return threads.map((thread) -> Integer.valueOf(thread.getFileName().toString())).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list the threads of process %d in %s".formatted(pid, tasks), ex);
		}
	}

}
