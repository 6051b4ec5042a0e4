package io.github.clusterstarter.test;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the output of every cluster that ran while a test ran, if the test failed: that
 * is where the reason of the failure usually is. {@link ClusterTest @ClusterTest}
 * registers it; a test class that starts its clusters with a {@link ClusterLauncher}
 * registers it with {@code @ExtendWith(DumpClusterOutputOnFailure.class)}.
 */
public class DumpClusterOutputOnFailure implements BeforeEachCallback, TestWatcher {

	private final Map<String, Long> testStarts = new ConcurrentHashMap<>();

	@Override
	public void beforeEach(ExtensionContext context) {
		long now = System.nanoTime();
		StartedClusters.forgetClosedBefore(now);
		this.testStarts.put(context.getUniqueId(), now);
	}

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		// Without a start, as when an earlier extension failed before it, the clusters that run now
		Long startedAt = this.testStarts.remove(context.getUniqueId());
		for (RunningCluster cluster : StartedClusters.ranSince((startedAt != null) ? startedAt : System.nanoTime())) {
			System.out.println("---- output of the cluster (master pid " + cluster.masterPid() + ") that ran during "
					+ context.getDisplayName() + " ----");
			System.out.println(cluster.output());
		}
	}

	@Override
	public void testSuccessful(ExtensionContext context) {
		this.testStarts.remove(context.getUniqueId());
	}

	@Override
	public void testAborted(ExtensionContext context, Throwable cause) {
		this.testStarts.remove(context.getUniqueId());
	}

}
