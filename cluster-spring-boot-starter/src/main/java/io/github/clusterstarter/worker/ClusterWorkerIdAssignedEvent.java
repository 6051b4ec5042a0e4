package io.github.clusterstarter.worker;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a standby process takes over a worker id, just before it starts
 * accepting connections. From then on {@code cluster.worker.id} in the environment, the
 * log tag and {@link ClusterControl#workerId()} give the new id. An application that
 * keeps the worker id it read at startup, which is 0 in a standby, updates it here.
 * Listeners run before the worker serves, so they should be quick.
 */
public class ClusterWorkerIdAssignedEvent extends ApplicationEvent {

	private final int workerId;

	/**
	 * Create a new event.
	 * @param source the application context of the worker
	 * @param workerId the id the process took over
	 */
	public ClusterWorkerIdAssignedEvent(Object source, int workerId) {
		super(source);
		this.workerId = workerId;
	}

	/**
	 * Return the worker id this process took over.
	 * @return the worker id
	 */
	public int getWorkerId() {
		return this.workerId;
	}

}
