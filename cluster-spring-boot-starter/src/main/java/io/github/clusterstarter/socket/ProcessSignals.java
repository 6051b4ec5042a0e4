package io.github.clusterstarter.socket;

import com.sun.jna.LastErrorException;
import com.sun.jna.ptr.IntByReference;

/**
 * Signals to other processes that {@link Process} cannot send, and the wait for a child
 * that no {@link Process} stands for.
 */
public final class ProcessSignals {

	private ProcessSignals() {
	}

	/**
	 * Send {@code SIGQUIT}, which makes a JVM print a thread dump to its standard output
	 * and carry on.
	 * @param pid the process
	 * @return whether the signal was sent
	 */
	public static boolean requestThreadDump(long pid) {
		try {
			LibC.get().kill(Math.toIntExact(pid), LibC.SIGQUIT);
			return true;
		}
		catch (LastErrorException ex) {
			return false;
		}
	}

	/**
	 * Reap a child process that has exited, so that it does not stay a zombie; never
	 * waits for one that still runs. Only for children that no {@link Process} stands
	 * for: the JDK waits for those itself and would lose their exit status.
	 * @param pid the child
	 * @return whether it had exited and was reaped
	 */
	public static boolean reapIfExited(long pid) {
		try {
			return LibC.get().waitpid(Math.toIntExact(pid), new IntByReference(), LibC.WNOHANG) > 0;
		}
		catch (LastErrorException ex) {
			// Not a child (any more)
			return false;
		}
	}

}
