package io.github.clusterstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * Properties of the warm-up that a worker runs before it joins the accept pool,
 * {@code cluster.worker.warmup.*}.
 */
@ConfigurationProperties(ClusterWarmupProperties.PREFIX)
public class ClusterWarmupProperties {

	/**
	 * Prefix of the warm-up properties.
	 */
	public static final String PREFIX = "cluster.worker.warmup";

	/**
	 * Whether a worker warms up when paths or requests are configured or the application
	 * has ClusterWarmup beans.
	 */
	private boolean enabled = true;

	/**
	 * Paths (with an optional query) that a worker sends itself GET requests for before
	 * it accepts connections, e.g. '/orders?page=1'.
	 */
	private List<String> paths = new ArrayList<>();

	/**
	 * Requests, with a method, headers and a body, that a worker sends itself before it
	 * accepts connections.
	 */
	private List<Request> requests = new ArrayList<>();

	/**
	 * Number of times each path and request is sent.
	 */
	private int count = 200;

	/**
	 * Whether to keep sending the paths and requests, count times each per round, until
	 * a round leaves the JIT compiler next to nothing to compile, within the timeout.
	 */
	private boolean untilCompiled;

	/**
	 * Number of warm-up requests in flight at the same time.
	 */
	private int concurrency = 2;

	/**
	 * Time a warm-up request may take. A path or request that fails, answers with an
	 * error status or takes longer is logged and not sent again.
	 */
	private Duration requestTimeout = Duration.ofSeconds(5);

	/**
	 * Time the whole warm-up may take, ClusterWarmup beans included. What is still
	 * running then is abandoned with a warning and the worker joins the accept pool.
	 */
	private Duration timeout = Duration.ofSeconds(30);

	/**
	 * Return the properties bound from the given binder, or the defaults.
	 * @param binder the binder to use
	 * @return the properties
	 */
	public static ClusterWarmupProperties get(Binder binder) {
		return binder.bind(PREFIX, ClusterWarmupProperties.class).orElseGet(ClusterWarmupProperties::new);
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public List<String> getPaths() {
		return this.paths;
	}

	public void setPaths(List<String> paths) {
		this.paths = paths;
	}

	public List<Request> getRequests() {
		return this.requests;
	}

	public void setRequests(List<Request> requests) {
		this.requests = requests;
	}

	public int getCount() {
		return this.count;
	}

	public void setCount(int count) {
		this.count = count;
	}

	public boolean isUntilCompiled() {
		return this.untilCompiled;
	}

	public void setUntilCompiled(boolean untilCompiled) {
		this.untilCompiled = untilCompiled;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(int concurrency) {
		this.concurrency = concurrency;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	/**
	 * A warm-up request.
	 */
	public static class Request {

		/**
		 * HTTP method.
		 */
		private String method = "GET";

		/**
		 * Path, with an optional query.
		 */
		private @Nullable String path;

		/**
		 * Request headers, e.g. 'Content-Type' or 'Authorization'.
		 */
		private Map<String, String> headers = new LinkedHashMap<>();

		/**
		 * Request body, sent as UTF-8.
		 */
		private @Nullable String body;

		public String getMethod() {
			return this.method;
		}

		public void setMethod(String method) {
			this.method = method;
		}

		public @Nullable String getPath() {
			return this.path;
		}

		public void setPath(@Nullable String path) {
			this.path = path;
		}

		public Map<String, String> getHeaders() {
			return this.headers;
		}

		public void setHeaders(Map<String, String> headers) {
			this.headers = headers;
		}

		public @Nullable String getBody() {
			return this.body;
		}

		public void setBody(@Nullable String body) {
			this.body = body;
		}

	}

}
