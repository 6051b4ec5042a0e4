package io.github.clusterstarter.worker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests a worker served and has in flight, for the master's status and
 * its max-requests recycling.
 */
public final class RequestStats {

	private final LongAdder served = new LongAdder();

	private final AtomicLong inFlight = new AtomicLong();

	/**
	 * Count a request that starts.
	 */
	public void started() {
		this.inFlight.incrementAndGet();
	}

	/**
	 * Count a request that {@link #started()} and is finished.
	 */
	public void finished() {
		this.inFlight.decrementAndGet();
		this.served.increment();
	}

	/**
	 * Return the number of requests served.
	 * @return the count
	 */
	public long served() {
		return this.served.sum();
	}

	/**
	 * Return the number of requests being served now.
	 * @return the count
	 */
	public long inFlight() {
		return this.inFlight.get();
	}

}
