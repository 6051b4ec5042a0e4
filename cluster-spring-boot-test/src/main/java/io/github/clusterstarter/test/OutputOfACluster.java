package io.github.clusterstarter.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The output of a cluster's master and its workers, which write to the master's standard
 * output, read as it comes on a thread of its own.
 */
final class OutputOfACluster {

	private static final Duration QUIET = Duration.ofSeconds(1);

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private volatile long lastLineAt = System.nanoTime();

	OutputOfACluster(Process master) {
		this.reader = new Thread(() -> read(master), "cluster-output-" + master.pid());
		this.reader.setDaemon(true);
		this.reader.start();
	}

	private void read(Process master) {
		try (BufferedReader input = new BufferedReader(
				new InputStreamReader(master.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = input.readLine()) != null) {
				this.lines.add(line);
				this.lastLineAt = System.nanoTime();
			}
		}
		catch (IOException ex) {
			// Every process of the cluster is gone
		}
	}

	List<String> lines() {
		return List.copyOf(this.lines);
	}

	/**
	 * Wait until the output ends, or until it has been quiet for {@link #QUIET} since the
	 * wait began or the last line: a process that outlives the cluster keeps it open
	 * without writing to it, such as a child a worker started or a master that replaced
	 * this one.
	 * @param timeout how long to wait at most
	 */
	void awaitEnd(Duration timeout) {
		long start = System.nanoTime();
		try {
			while (this.reader.isAlive() && System.nanoTime() - start < timeout.toNanos()
					&& System.nanoTime() - Math.max(start, this.lastLineAt) < QUIET.toNanos()) {
				this.reader.join(50);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
