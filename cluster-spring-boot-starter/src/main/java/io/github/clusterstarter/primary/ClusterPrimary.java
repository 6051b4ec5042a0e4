package io.github.clusterstarter.primary;

import io.github.clusterstarter.worker.WorkerAgent;
import org.jspecify.annotations.Nullable;

/**
 * Tells whether this process is the primary worker: the one ready worker of the cluster
 * that runs one-worker-only jobs.
 *
 * @see PrimaryWorkerOnly
 */
public class ClusterPrimary {

	private final @Nullable WorkerAgent agent;

	/**
	 * Create a new instance.
	 * @param agent the worker agent, or {@code null} if the application is not clustered
	 */
	public ClusterPrimary(@Nullable WorkerAgent agent) {
		this.agent = agent;
	}

	/**
	 * Return whether this process is the primary worker. Always {@code true} in an
	 * application that does not run as a cluster; never in a worker that is shutting
	 * down.
	 * @return whether this process is the primary
	 */
	public boolean isPrimary() {
		return this.agent == null || this.agent.isPrimary();
	}

}
