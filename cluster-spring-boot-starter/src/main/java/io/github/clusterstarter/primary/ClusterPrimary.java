package io.github.clusterstarter.primary;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.worker.MasterConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Tells whether this process is the primary worker: the one ready worker of the cluster
 * that runs one-worker-only jobs. The master elects it and tells every worker.
 *
 * @see PrimaryWorkerOnly
 */
public class ClusterPrimary implements ApplicationListener<ContextClosedEvent> {

	private final @Nullable MasterConnection connection;

	private volatile long primaryPid;

	private volatile boolean stopping;

	/**
	 * Create a new instance.
	 * @param connection the connection to the master, or {@code null} if the application
	 * is not clustered
	 */
	public ClusterPrimary(@Nullable MasterConnection connection) {
		this.connection = connection;
		if (connection != null) {
			connection.onMessage(ControlMessage.Primary.class, (frame) -> this.primaryPid = frame.message().pid());
		}
	}

	/**
	 * Return whether this process is the primary worker. Always {@code true} in an
	 * application that does not run as a cluster; never in a worker that is shutting
	 * down.
	 * @return whether this process is the primary
	 */
	public boolean isPrimary() {
		MasterConnection connection = this.connection;
		return connection == null || (!this.stopping && this.primaryPid == connection.pid());
	}

	/**
	 * A worker that shuts down stops acting as the primary at once, before the master
	 * learns it.
	 */
	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		this.stopping = true;
	}

}
