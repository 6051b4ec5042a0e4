package io.github.clusterstarter.actuate;

import java.time.Duration;

import io.github.clusterstarter.status.ClusterStatus;
import io.github.clusterstarter.status.MasterState;
import io.github.clusterstarter.status.RolloutState;
import io.github.clusterstarter.status.WorkerState;
import io.github.clusterstarter.worker.ClusterControl;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the cluster as the master sees it: {@code UP} when every desired worker is
 * ready, {@code DEGRADED} when some are missing or the last rolling restart failed,
 * {@code DOWN} when no worker is ready or the master does not answer, and
 * {@code OUT_OF_SERVICE} once the master is shutting down (also during
 * {@code cluster.shutdown-delay}, while the workers still serve). An application
 * that does not run as a cluster is {@code UP}.
 */
public class ClusterHealthIndicator extends AbstractHealthIndicator {

	/**
	 * The cluster serves, with fewer workers than desired or after a failed rollout.
	 */
	public static final Status DEGRADED = new Status("DEGRADED");

	private static final Duration MASTER_TIMEOUT = Duration.ofSeconds(5);

	private final @Nullable ClusterControl control;

	/**
	 * Create a new indicator.
	 * @param control the cluster control, or {@code null} if the application is not
	 * clustered
	 */
	public ClusterHealthIndicator(@Nullable ClusterControl control) {
		super("Cluster health check failed");
		this.control = control;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		ClusterControl control = this.control;
		if (control == null) {
			builder.up().withDetail("clustered", false);
			return;
		}
		ClusterStatus cluster = control.status(MASTER_TIMEOUT);
		long desired = cluster.master().desiredWorkers();
		long ready = cluster.count(WorkerState.READY);
		boolean rolloutFailed = cluster.rollout() != null && cluster.rollout().state() == RolloutState.FAILED;
		builder.withDetail("desiredWorkers", desired).withDetail("readyWorkers", ready);
		if (cluster.rollout() != null) {
			builder.withDetail("rollout", cluster.rollout().state());
		}
		if (cluster.master().state() == MasterState.STOPPING) {
			// The cluster still serves, but load balancers should stop sending it connections
			builder.outOfService();
		}
		else if (ready == 0) {
			builder.down();
		}
		else if (ready < desired || rolloutFailed) {
			builder.status(DEGRADED);
		}
		else {
			builder.up();
		}
	}

}
