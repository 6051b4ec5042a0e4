package io.github.clusterstarter.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a worker's web server back from accepting until the application is ready, so that
 * a booting worker never takes a connection from the shared socket that a ready sibling
 * could serve.
 */
public final class AcceptGate {

	private final CountDownLatch opened = new CountDownLatch(1);

	private final List<Runnable> onOpen = new ArrayList<>();

	/**
	 * Let the web server take connections from now on.
	 */
	public void open() {
		List<Runnable> actions;
		synchronized (this.onOpen) {
			if (isOpen()) {
				return;
			}
			this.opened.countDown();
			actions = List.copyOf(this.onOpen);
			this.onOpen.clear();
		}
		actions.forEach(Runnable::run);
	}

	/**
	 * Return whether the gate is open.
	 * @return whether connections may be accepted
	 */
	public boolean isOpen() {
		return this.opened.getCount() == 0;
	}

	/**
	 * Run the given action once the gate opens, or now if it is open.
	 * @param action what starts accepting
	 */
	public void whenOpen(Runnable action) {
		synchronized (this.onOpen) {
			if (!isOpen()) {
				this.onOpen.add(action);
				return;
			}
		}
		action.run();
	}

	/**
	 * Wait for the gate to open, at most the given time.
	 * @param millis the maximum time to wait
	 * @return whether the gate is open
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean await(long millis) throws InterruptedException {
		return this.opened.await(millis, TimeUnit.MILLISECONDS);
	}

}
