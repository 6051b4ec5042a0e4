package io.github.clusterstarter.socket;

import com.sun.jna.LastErrorException;

/**
 * Copies of the process's standard output and error, to put back later.
 * <p>
 * Closing the channel returned by {@link System#inheritedChannel()} makes the JDK point
 * fds 0, 1 and 2 at {@code /dev/null}, so a worker that stops accepting by closing its
 * copy of the shared socket would otherwise lose its log output.
 */
public final class StandardStreams {

	private final int savedOut;

	private final int savedErr;

	private boolean restored;

	private StandardStreams(int savedOut, int savedErr) {
		this.savedOut = savedOut;
		this.savedErr = savedErr;
	}

	/**
	 * Copy fds 1 and 2.
	 * @return the copies
	 * @throws LastErrorException if a copy cannot be made
	 */
	public static StandardStreams save() {
		LibC libc = LibC.get();
		int out = libc.dup(1);
		try {
			return new StandardStreams(out, libc.dup(2));
		}
		catch (LastErrorException ex) {
			libc.close(out);
			throw ex;
		}
	}

	/**
	 * Put the copies back onto fds 1 and 2 and release them. Idempotent.
	 * @throws LastErrorException if they cannot be put back
	 */
	public void restore() {
		if (this.restored) {
			return;
		}
		this.restored = true;
		LibC libc = LibC.get();
		try {
			libc.dup2(this.savedOut, 1);
			libc.dup2(this.savedErr, 2);
		}
		finally {
			libc.close(this.savedOut);
			libc.close(this.savedErr);
		}
	}

}
