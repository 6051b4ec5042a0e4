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

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Thread reader;

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
			}
		}
		catch (IOException ex) {
			// Every process of the cluster is gone
		}
	}

	List<String> lines() {
		return List.copyOf(this.lines);
	}

	void awaitEnd(Duration timeout) {
		try {
			this.reader.join(timeout.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
