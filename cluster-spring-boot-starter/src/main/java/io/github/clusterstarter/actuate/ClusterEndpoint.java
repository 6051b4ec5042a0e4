package io.github.clusterstarter.actuate;

import java.time.Duration;
import java.util.Map;

import io.github.clusterstarter.control.ErrorCode;
import io.github.clusterstarter.status.ClusterStatus.WorkerStatus;
import io.github.clusterstarter.worker.ClusterCommandException;
import io.github.clusterstarter.worker.ClusterControl;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@link Endpoint @Endpoint} that shows and controls the cluster: the master and every
 * worker, rolling restarts, restarts of one worker and scaling. Any worker can answer;
 * it asks the master. Like {@code shutdown}, its write operations are powerful, so they
 * are off until {@code management.endpoint.cluster.access=unrestricted}.
 */
@Endpoint(id = "cluster", defaultAccess = Access.READ_ONLY)
public class ClusterEndpoint {

	static final String RESTART = "restart";

	static final String UPGRADE = "upgrade";

	private static final Duration MASTER_TIMEOUT = Duration.ofSeconds(5);

	private final @Nullable ClusterControl control;

	/**
	 * Create a new endpoint.
	 * @param control the cluster control, or {@code null} if the application is not
	 * clustered
	 */
	public ClusterEndpoint(@Nullable ClusterControl control) {
		this.control = control;
	}

	/**
	 * Describe the whole cluster.
	 * @return the cluster
	 * @throws io.github.clusterstarter.worker.MasterUnavailableException if the master
	 * does not answer
	 */
	@ReadOperation
	public ClusterDescriptor cluster() {
		ClusterControl control = this.control;
		if (control == null) {
			return ClusterDescriptor.STANDALONE;
		}
		return ClusterDescriptor.of(control.status(MASTER_TIMEOUT), control.workerId());
	}

	/**
	 * Describe one worker.
	 * @param id the worker id
	 * @return the worker, or {@code null} if there is none with that id
	 */
	@ReadOperation
	public @Nullable WorkerStatus worker(@Selector int id) {
		return cluster().worker(id).orElse(null);
	}

	/**
	 * Start a rolling restart ({@code action=restart}), replace the master itself
	 * ({@code action=upgrade}) or scale to a number of workers.
	 * @param action {@code restart} or {@code upgrade}, or {@code null} when scaling
	 * @param workers the number of workers to scale to, or {@code null}
	 * @return what the master did
	 * @throws InvalidEndpointRequestException if the request is invalid
	 * @throws ClusterCommandException if the master refuses
	 */
	@WriteOperation
	public Map<String, Object> control(@Nullable String action, @Nullable Integer workers) {
		ClusterControl control = requireCluster();
		if ((action == null) == (workers == null)) {
			throw new InvalidEndpointRequestException(
					"Send either {\"action\":\"restart\"} for a rolling restart or {\"workers\":N} to scale",
					"Exactly one of action and workers is required");
		}
		if (UPGRADE.equals(action)) {
			return accepted(control.upgrade(MASTER_TIMEOUT));
		}
		if (action != null) {
			if (!RESTART.equals(action)) {
				throw new InvalidEndpointRequestException(
						"Unknown action '" + action + "'; the actions are 'restart' and 'upgrade'", "Unknown action");
			}
			return accepted(control.rollout(MASTER_TIMEOUT));
		}
		return accepted(control.scale(workers, MASTER_TIMEOUT));
	}

	/**
	 * Replace one worker: its replacement boots first, and the worker stops once the
	 * replacement is ready.
	 * @param id the worker id
	 * @return what the master did
	 * @throws ClusterCommandException if the master refuses
	 */
	@WriteOperation
	public Map<String, Object> restart(@Selector int id) {
		return accepted(requireCluster().restart(id, MASTER_TIMEOUT));
	}

	private ClusterControl requireCluster() {
		ClusterControl control = this.control;
		if (control == null) {
			throw new ClusterCommandException(ErrorCode.CONFLICT, "This application does not run as a cluster");
		}
		return control;
	}

	private static Map<String, Object> accepted(String detail) {
		return Map.of("accepted", true, "detail", detail);
	}

}
