package io.github.clusterstarter.worker;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a worker's acceptor back until the application is ready, so that a booting
 * worker never takes a connection from the shared socket that a ready sibling could
 * serve.
 */
public final class AcceptGate {

	private final CountDownLatch opened = new CountDownLatch(1);

	/**
	 * Let the acceptor take connections from now on.
	 */
	public void open() {
		this.opened.countDown();
	}

	/**
	 * Return whether the gate is open.
	 * @return whether connections may be accepted
	 */
	public boolean isOpen() {
		return this.opened.getCount() == 0;
	}

	/**
	 * Wait for the gate to open, at most the given time.
	 * @param millis the maximum time to wait
	 * @return whether the gate is open
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean await(long millis) throws InterruptedException {
		return this.opened.await(millis, TimeUnit.MILLISECONDS);
	}

}
