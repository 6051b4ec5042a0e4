package io.github.clusterstarter.warmup;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.clusterstarter.autoconfigure.ClusterWarmupProperties;
import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * What a worker sends itself before it joins the accept pool, read from
 * {@link ClusterWarmupProperties} and checked, so that a mistake fails at startup with a
 * message for the {@link io.github.clusterstarter.diagnostics.ClusterConfigurationFailureAnalyzer}.
 *
 * @param enabled whether the worker warms up at all
 * @param requests the requests, in the order they are sent
 * @param count how many times each request is sent in a round
 * @param untilCompiled whether rounds follow until one leaves the JIT compiler idle
 * @param concurrency how many requests are in flight at the same time
 * @param requestTimeout how long one request may take
 * @param timeout how long the whole warm-up may take
 */
public record WarmupPlan(boolean enabled, List<WarmupRequest> requests, int count, boolean untilCompiled,
		int concurrency, Duration requestTimeout, Duration timeout) {

	private static final String PREFIX = ClusterWarmupProperties.PREFIX + ".";

	/**
	 * Read and check the plan.
	 * @param properties the warm-up properties
	 * @return the plan
	 * @throws ClusterConfigurationException if a property is invalid
	 */
	public static WarmupPlan of(ClusterWarmupProperties properties) {
		requirePositive("count", properties.getCount());
		requirePositive("concurrency", properties.getConcurrency());
		requirePositive("request-timeout", properties.getRequestTimeout());
		requirePositive("timeout", properties.getTimeout());
		List<WarmupRequest> requests = new ArrayList<>();
		List<String> paths = properties.getPaths();
		for (int i = 0; i < paths.size(); i++) {
			requests.add(request("paths[" + i + "]", "GET", paths.get(i), Map.of(), null));
		}
		List<ClusterWarmupProperties.Request> configured = properties.getRequests();
		for (int i = 0; i < configured.size(); i++) {
			ClusterWarmupProperties.Request request = configured.get(i);
			requests.add(request("requests[" + i + "]", request.getMethod(), request.getPath(),
					Map.copyOf(request.getHeaders()), request.getBody()));
		}
		return new WarmupPlan(properties.isEnabled(), List.copyOf(requests), properties.getCount(),
				properties.isUntilCompiled(), properties.getConcurrency(), properties.getRequestTimeout(),
				properties.getTimeout());
	}

	private static WarmupRequest request(String property, String method, @Nullable String path,
			Map<String, String> headers, @Nullable String body) {
		String pathProperty = property.startsWith("paths") ? property : property + ".path";
		if (path == null || !isOriginForm(path)) {
			throw ClusterConfigurationException.invalidProperty(PREFIX + pathProperty, path,
					"must be a path starting with a single '/', with an optional query, e.g. '/orders?page=1'");
		}
		try {
			// The builder rejects what the client would: an invalid method, header name or value,
			// or a header the client sets itself (Host, Connection, Content-Length...)
			HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1" + path))
				.method(method, BodyPublishers.noBody());
			headers.forEach(builder::header);
		}
		catch (IllegalArgumentException ex) {
			throw ClusterConfigurationException.invalidProperty(PREFIX + property, method + " " + path + " " + headers,
					"the method or a header is not valid in a request: " + ex.getMessage());
		}
		return new WarmupRequest(method, path, headers, body);
	}

	/**
	 * A path with an optional query, as in an HTTP request line: anything else, such as
	 * {@code //host/x}, could send the request elsewhere than to this worker.
	 */
	private static boolean isOriginForm(String path) {
		if (!path.startsWith("/") || path.startsWith("//")) {
			return false;
		}
		try {
			URI uri = new URI(path);
			return uri.getScheme() == null && uri.getRawAuthority() == null && uri.getRawFragment() == null;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	private static void requirePositive(String property, int value) {
		if (value < 1) {
			throw ClusterConfigurationException.invalidProperty(PREFIX + property, value, "must be 1 or more");
		}
	}

	private static void requirePositive(String property, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw ClusterConfigurationException.invalidProperty(PREFIX + property, value,
					"must be a positive duration");
		}
	}

	/**
	 * Return whether there are requests to send.
	 * @return whether the plan has requests
	 */
	boolean hasRequests() {
		return this.enabled && !this.requests.isEmpty();
	}

}
