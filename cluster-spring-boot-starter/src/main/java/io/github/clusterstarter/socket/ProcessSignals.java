package io.github.clusterstarter.socket;

import com.sun.jna.LastErrorException;

/**
 * Signals to other processes that {@link Process} cannot send.
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

}
