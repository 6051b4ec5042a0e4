package io.github.clusterstarter.actuate;

import java.util.Map;

import io.github.clusterstarter.worker.MasterUnavailableException;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * Web extension of the {@link ClusterEndpoint}: answers with HTTP statuses and a reason,
 * 404 for an unknown worker and 503 when the master does not answer.
 */
@EndpointWebExtension(endpoint = ClusterEndpoint.class)
public class ClusterEndpointWebExtension {

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
	 * @return the cluster, or 503 if the master does not answer
	 */
	@ReadOperation
	public WebEndpointResponse<Object> cluster() {
		try {
			return new WebEndpointResponse<>(this.delegate.cluster());
		}
		catch (MasterUnavailableException ex) {
			return error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, ex.getMessage());
		}
	}

	/**
	 * Describe one worker.
	 * @param id the worker id
	 * @return the worker, 400 if the id is not a number, 404 if there is no worker with
	 * that id, or 503 if the master does not answer
	 */
	@ReadOperation
	public WebEndpointResponse<Object> worker(@Selector String id) {
		int workerId;
		try {
			workerId = Integer.parseInt(id);
		}
		catch (NumberFormatException ex) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Worker id must be a whole number, not '" + id + "'");
		}
		return describeWorker(workerId);
	}

	private WebEndpointResponse<Object> describeWorker(int id) {
		try {
			ClusterDescriptor cluster = this.delegate.cluster();
			if (!cluster.clustered()) {
				return error(WebEndpointResponse.STATUS_NOT_FOUND,
						"This application does not run as a cluster, so it has no workers");
			}
			return cluster.worker(id)
				.<WebEndpointResponse<Object>>map(WebEndpointResponse::new)
				.orElseGet(() -> error(WebEndpointResponse.STATUS_NOT_FOUND,
						"No worker with id " + id + "; the cluster has workers " + cluster.workers()
							.stream()
							.map(ClusterDescriptor.WorkerDescriptor::id)
							.toList()));
		}
		catch (MasterUnavailableException ex) {
			return error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, ex.getMessage());
		}
	}

	private static WebEndpointResponse<Object> error(int status, String reason) {
		return new WebEndpointResponse<>(Map.of("status", status, "error", reason), status);
	}

}
