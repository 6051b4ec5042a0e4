package io.github.clusterstarter.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the output of the clusters a failed test started, which is where the reason of
 * the failure usually is.
 */
public class DumpClusterOutputOnFailure implements TestWatcher {

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		for (ClusterProcess cluster : ClusterProcess.drainStarted()) {
			System.out.println("---- output of the cluster started by " + context.getDisplayName() + " ----");
			System.out.println(cluster.outputText());
		}
	}

	@Override
	public void testSuccessful(ExtensionContext context) {
		ClusterProcess.drainStarted();
	}

}
