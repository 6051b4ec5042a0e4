package io.github.clusterstarter.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The clusters started in this JVM: which of them ran while a test ran, for the output of
 * a failed test, and which still run when the JVM exits, to kill them then, so that no
 * process outlives the tests that started it.
 */
final class StartedClusters {

	private static final List<RunningCluster> clusters = new CopyOnWriteArrayList<>();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(StartedClusters::killRunning, "cluster-test-cleanup"));
	}

	private StartedClusters() {
	}

	static void add(RunningCluster cluster) {
		clusters.add(cluster);
	}

	/**
	 * Return the clusters that ran at any time since the given instant.
	 * @param nanoTime the instant, from {@link System#nanoTime()}
	 * @return the clusters, in the order they started
	 */
	static List<RunningCluster> ranSince(long nanoTime) {
		return clusters.stream().filter((cluster) -> cluster.ranSince(nanoTime)).toList();
	}

	/**
	 * Forget the clusters that were closed before the given instant: no later test needs
	 * their output.
	 * @param nanoTime the instant, from {@link System#nanoTime()}
	 */
	static void forgetClosedBefore(long nanoTime) {
		clusters.removeIf((cluster) -> !cluster.ranSince(nanoTime));
	}

	private static void killRunning() {
		clusters.stream().filter(RunningCluster::isRunning).forEach(RunningCluster::killProcesses);
	}

}
