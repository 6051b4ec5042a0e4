package io.github.clusterstarter.master;

import java.time.Instant;

/**
 * The master's clock: monotonic time for its timers, wall-clock time for what it reports.
 * An interface, so that tests can advance time.
 */
interface MasterClock {

	/**
	 * The clock of the system: {@link System#nanoTime()} and {@link Instant#now()}.
	 */
	MasterClock SYSTEM = new MasterClock() {

		@Override
		public long nanoTime() {
			return System.nanoTime();
		}

		@Override
		public Instant instant() {
			return Instant.now();
		}

	};

	/**
	 * Return the monotonic time, to measure intervals with.
	 * @return the time in nanoseconds, from an arbitrary origin
	 */
	long nanoTime();

	/**
	 * Return the wall-clock time, to report.
	 * @return the current instant
	 */
	Instant instant();

	/**
	 * Return the earlier of two {@link #nanoTime()} values, which may overflow.
	 * @param a a time
	 * @param b another time
	 * @return the earlier one
	 */
	static long earlier(long a, long b) {
		return (a - b < 0) ? a : b;
	}

}
