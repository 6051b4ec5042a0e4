package io.github.clusterstarter.socket;

import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import com.sun.jna.LastErrorException;

/**
 * The nice value of threads. Linux keeps it per thread, and a new thread or process gets
 * the value of the thread that created it, so a process started from a thread with a
 * raised value runs every thread of its own at that value, until they are lowered again.
 * Anyone may raise a nice value; lowering it needs root, {@code CAP_SYS_NICE} or a
 * {@code RLIMIT_NICE} that allows it.
 */
public final class ThreadNiceness {

	/**
	 * The highest nice value, the lowest priority.
	 */
	public static final int MAX = 19;

	private ThreadNiceness() {
	}

	/**
	 * Return the nice value of the calling thread.
	 * @return the nice value, from -20 to 19
	 */
	public static int ofCallingThread() {
		return LibC.get().getpriority(LibC.PRIO_PROCESS, 0);
	}

	/**
	 * Return whether the calling thread's nice value, once raised, could be lowered back.
	 * Tried on a thread of its own, which is gone afterwards whatever happened.
	 * @return whether this process may lower a nice value to the calling thread's
	 */
	public static boolean canLowerBack() {
		int niceness = ofCallingThread();
		if (niceness >= MAX) {
			return false;
		}
		try {
			return onThreadOfItsOwn(niceness + 1, () -> {
				LibC.get().setpriority(LibC.PRIO_PROCESS, 0, niceness);
				return true;
			});
		}
		catch (Exception ex) {
			return false;
		}
	}

	/**
	 * Run an action on a new thread whose nice value is the given one, and wait for it.
	 * Whatever the action starts gets that value, and the calling thread keeps its own.
	 * @param <T> the type of the result
	 * @param niceness the nice value of the thread, capped at {@link #MAX}
	 * @param action the action
	 * @return the result of the action
	 * @throws Exception whatever the action throws
	 */
	public static <T> T onThreadOfItsOwn(int niceness, Callable<T> action) throws Exception {
		FutureTask<T> task = new FutureTask<>(() -> {
			LibC.get().setpriority(LibC.PRIO_PROCESS, 0, Math.min(niceness, MAX));
			return action.call();
		});
		Thread thread = new Thread(task, "cluster-niceness");
		thread.start();
		try {
			return task.get();
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
	}

	/**
	 * Give every thread of a process the given nice value, also the threads that threads
	 * with another value start meanwhile.
	 * @param pid the process, this one or one of the same user
	 * @param niceness the nice value
	 * @throws LastErrorException with {@code EACCES} if this process may not lower a
	 * nice value
	 * @throws UncheckedIOException if the threads of the process cannot be listed, as when
	 * it is gone
	 */
	public static void setEveryThread(long pid, int niceness) {
		EveryThread.change(pid, (thread) -> {
			if (LibC.get().getpriority(LibC.PRIO_PROCESS, thread) == niceness) {
				return false;
			}
			LibC.get().setpriority(LibC.PRIO_PROCESS, thread, niceness);
			return true;
		});
	}

}
