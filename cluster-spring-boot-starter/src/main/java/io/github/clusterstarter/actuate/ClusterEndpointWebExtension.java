package io.github.clusterstarter.actuate;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.clusterstarter.control.ErrorCode;
import io.github.clusterstarter.status.ClusterStatus.WorkerStatus;
import io.github.clusterstarter.worker.ClusterCommandException;
import io.github.clusterstarter.worker.MasterUnavailableException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * Web extension of the {@link ClusterEndpoint}: answers with HTTP statuses and a reason.
 * 202 when a command was accepted, 400 for an invalid request, 404 for an unknown worker,
 * 409 when the command conflicts with what the cluster is doing, 503 when the master
 * does not answer.
 */
@EndpointWebExtension(endpoint = ClusterEndpoint.class)
public class ClusterEndpointWebExtension {

	private static final int STATUS_ACCEPTED = 202;

	private static final int STATUS_CONFLICT = 409;

	private final ClusterEndpoint delegate;

	/**
	 * Create a new extension.
	 * @param delegate the endpoint
	 */
	public ClusterEndpointWebExtension(ClusterEndpoint delegate) {
		this.delegate = delegate;
	}

	/**
	 * Describe the whole cluster.
	 * @return the cluster
	 */
	@ReadOperation
	public WebEndpointResponse<Object> cluster() {
		return respond(WebEndpointResponse.STATUS_OK, this.delegate::cluster);
	}

	/**
	 * Describe one worker.
	 * @param id the worker id
	 * @return the worker
	 */
	@ReadOperation
	public WebEndpointResponse<Object> worker(@Selector String id) {
		return respond(WebEndpointResponse.STATUS_OK, () -> {
			int workerId = parseId(id);
			ClusterDescriptor cluster = this.delegate.cluster();
			if (!cluster.clustered()) {
				throw new ClusterCommandException(ErrorCode.NOT_FOUND,
						"This application does not run as a cluster, so it has no workers");
			}
			return cluster.worker(workerId)
				.orElseThrow(() -> new ClusterCommandException(ErrorCode.NOT_FOUND,
						"No worker with id " + workerId + "; the cluster has workers " + ids(cluster.workers())));
		});
	}

	/**
	 * Start a rolling restart or scale.
	 * @param action {@code restart} or {@code upgrade}, or {@code null} when scaling
	 * @param workers the number of workers to scale to, or {@code null}
	 * @return what the master did
	 */
	@WriteOperation
	public WebEndpointResponse<Object> control(@Nullable String action, @Nullable Integer workers) {
		return respond(STATUS_ACCEPTED, () -> this.delegate.control(action, workers));
	}

	/**
	 * Replace one worker.
	 * @param id the worker id
	 * @return what the master did
	 */
	@WriteOperation
	public WebEndpointResponse<Object> restart(@Selector String id) {
		return respond(STATUS_ACCEPTED, () -> this.delegate.restart(parseId(id)));
	}

	private static int parseId(String id) {
		try {
			return Integer.parseInt(id);
		}
		catch (NumberFormatException ex) {
			throw new InvalidEndpointRequestException("Worker id must be a whole number, not '" + id + "'",
					"Invalid worker id");
		}
	}

	private static List<Integer> ids(List<WorkerStatus> workers) {
		return workers.stream().map(WorkerStatus::id).toList();
	}

	private static WebEndpointResponse<Object> respond(int status, Supplier<Object> operation) {
		try {
			return new WebEndpointResponse<>(operation.get(), status);
		}
		catch (InvalidEndpointRequestException ex) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getMessage());
		}
		catch (ClusterCommandException ex) {
			return error(switch (ex.getCode()) {
				case NOT_FOUND -> WebEndpointResponse.STATUS_NOT_FOUND;
				case INVALID -> WebEndpointResponse.STATUS_BAD_REQUEST;
				case CONFLICT -> STATUS_CONFLICT;
				case BAD_MESSAGE, INTERNAL -> WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR;
			}, ex.getMessage());
		}
		catch (MasterUnavailableException ex) {
			return error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, ex.getMessage());
		}
	}

	private static WebEndpointResponse<Object> error(int status, String reason) {
		return new WebEndpointResponse<>(Map.of("status", status, "error", reason), status);
	}

}
