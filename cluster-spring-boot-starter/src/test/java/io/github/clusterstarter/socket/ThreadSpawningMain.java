package io.github.clusterstarter.socket;

/**
 * Run by {@link ThreadAffinityTests} in a child process, whose threads the test moves
 * without moving its own: it starts a short-lived thread every millisecond, so that
 * threads are born while they are being moved, until it is killed.
 */
public final class ThreadSpawningMain {

	private ThreadSpawningMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		System.out.println("spawning");
		while (true) {
			Thread thread = new Thread(() -> {
				try {
					Thread.sleep(20);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			thread.start();
			Thread.sleep(1);
		}
	}

}
