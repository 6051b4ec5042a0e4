package io.github.clusterstarter.socket;

import java.io.IOException;
import java.nio.channels.Channel;

import com.sun.jna.LastErrorException;

/**
 * Copies of standard output and standard error, to put them back after closing the
 * channel returned by {@link System#inheritedChannel()}: the JDK then points file
 * descriptors 0, 1 <em>and</em> 2 at {@code /dev/null}, so a worker that stops accepting
 * by closing its copy of the shared socket would otherwise lose its log output.
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
	 * Close the channel of {@link System#inheritedChannel()}, or anything that closes it,
	 * with standard output and standard error saved around the close and put back after
	 * it.
	 * @param channel the inherited channel
	 * @throws IOException if the channel cannot be closed
	 */
	public static void closeKeepingStreams(Channel channel) throws IOException {
		StandardStreams streams = save();
		try {
			channel.close();
		}
		finally {
			streams.restore();
		}
	}

	/**
	 * Point standard input (file descriptor 0) at {@code /dev/null}. A free fd 0 would be
	 * taken by the next file or socket opened, which child processes would then inherit
	 * as their input; the JDK does the same for inherited channels.
	 * @return whether standard input now reads {@code /dev/null}
	 */
	public static boolean replaceInputWithDevNull() {
		LibC libc = LibC.get();
		int devNull;
		try {
			devNull = libc.open("/dev/null", LibC.O_RDWR);
		}
		catch (LastErrorException ex) {
			return false;
		}
		try {
			libc.dup2(devNull, 0);
			return true;
		}
		catch (LastErrorException ex) {
			return false;
		}
		finally {
			LibC.closeQuietly(devNull);
		}
	}

	/**
	 * Duplicate the current standard output and standard error.
	 * @return the saved streams
	 * @throws IllegalStateException if the file descriptors cannot be duplicated
	 */
	public static StandardStreams save() {
		LibC libc = LibC.get();
		int out;
		try {
			out = libc.dup(1);
		}
		catch (LastErrorException ex) {
			throw new IllegalStateException("Could not save standard output", ex);
		}
		try {
			return new StandardStreams(out, libc.dup(2));
		}
		catch (LastErrorException ex) {
			LibC.closeQuietly(out);
			throw new IllegalStateException("Could not save standard error", ex);
		}
	}

	/**
	 * Put the saved streams back on file descriptors 1 and 2 and release the copies. Does
	 * nothing if already restored.
	 * @throws IllegalStateException if a stream cannot be put back
	 */
	public synchronized void restore() {
		if (this.restored) {
			return;
		}
		this.restored = true;
		LibC libc = LibC.get();
		try {
			libc.dup2(this.savedOut, 1);
			libc.dup2(this.savedErr, 2);
		}
		catch (LastErrorException ex) {
			throw new IllegalStateException("Could not restore standard output and standard error", ex);
		}
		finally {
			LibC.closeQuietly(this.savedOut);
			LibC.closeQuietly(this.savedErr);
		}
	}

}
