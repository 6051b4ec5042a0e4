package io.github.clusterstarter.actuate;

import java.time.Duration;

import io.github.clusterstarter.worker.WorkerAgent;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@link Endpoint @Endpoint} that shows the cluster: the master and every worker. Any
 * worker can answer; it asks the master.
 */
@Endpoint(id = "cluster")
public class ClusterEndpoint {

	private static final Duration MASTER_TIMEOUT = Duration.ofSeconds(5);

	private final @Nullable WorkerAgent agent;

	/**
	 * Create a new endpoint.
	 * @param agent the worker agent, or {@code null} if the application is not clustered
	 */
	public ClusterEndpoint(@Nullable WorkerAgent agent) {
		this.agent = agent;
	}

	/**
	 * Describe the whole cluster.
	 * @return the cluster
	 * @throws io.github.clusterstarter.worker.MasterUnavailableException if the master
	 * does not answer
	 */
	@ReadOperation
	public ClusterDescriptor cluster() {
		WorkerAgent agent = this.agent;
		if (agent == null) {
			return ClusterDescriptor.STANDALONE;
		}
		return ClusterDescriptor.from(agent.requestStatus(MASTER_TIMEOUT), agent.getWorkerId());
	}

	/**
	 * Describe one worker.
	 * @param id the worker id
	 * @return the worker, or {@code null} if there is none with that id
	 */
	@ReadOperation
	public ClusterDescriptor.@Nullable WorkerDescriptor worker(@Selector int id) {
		return cluster().worker(id).orElse(null);
	}

}
