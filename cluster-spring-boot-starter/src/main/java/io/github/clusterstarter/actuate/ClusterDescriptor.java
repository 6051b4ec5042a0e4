package io.github.clusterstarter.actuate;

import java.util.List;
import java.util.Optional;

import io.github.clusterstarter.status.ClusterStatus;
import io.github.clusterstarter.status.ClusterStatus.MasterStatus;
import io.github.clusterstarter.status.ClusterStatus.RolloutStatus;
import io.github.clusterstarter.status.ClusterStatus.StandbyStatus;
import io.github.clusterstarter.status.ClusterStatus.WorkerStatus;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code cluster} endpoint reports: the cluster's status as the master sees it,
 * and the worker that answered.
 *
 * @param clustered whether this application runs as a cluster
 * @param answeredBy the id of the worker that answered, or {@code null} if not clustered
 * @param master the master, or {@code null} if not clustered
 * @param workers the workers
 * @param standbys the standby processes
 * @param rollout the current or last rolling restart, or {@code null} if there was none
 */
public record ClusterDescriptor(boolean clustered, @Nullable Integer answeredBy, @Nullable MasterStatus master,
		List<WorkerStatus> workers, List<StandbyStatus> standbys, @Nullable RolloutStatus rollout) {

	/**
	 * The report of an application that does not run as a cluster.
	 */
	public static final ClusterDescriptor STANDALONE = new ClusterDescriptor(false, null, null, List.of(), List.of(),
			null);

	static ClusterDescriptor of(ClusterStatus status, int answeredBy) {
		return new ClusterDescriptor(true, answeredBy, status.master(), status.workers(), status.standbys(),
				status.rollout());
	}

	/**
	 * Return the worker with the given id.
	 * @param id the worker id
	 * @return the worker, or empty if there is none with this id
	 */
	public Optional<WorkerStatus> worker(int id) {
		return this.workers.stream().filter((worker) -> worker.id() == id).findFirst();
	}

}
