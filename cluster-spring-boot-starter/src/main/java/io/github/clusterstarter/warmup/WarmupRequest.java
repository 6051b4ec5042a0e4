package io.github.clusterstarter.warmup;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One request of the warm-up, as configured.
 *
 * @param method the HTTP method
 * @param path the path, with an optional query
 * @param headers the request headers
 * @param body the body, or {@code null} for none
 */
public record WarmupRequest(String method, String path, Map<String, String> headers, @Nullable String body) {

	/**
	 * Build the request for a client of the warm-up listener.
	 * @param client the client
	 * @return the request
	 * @throws IllegalArgumentException if the method or a header is not valid in HTTP
	 */
	HttpRequest toHttpRequest(WarmupClient client) {
		HttpRequest.Builder builder = client.request(this.path)
			.method(this.method, (this.body != null) ? BodyPublishers.ofString(this.body, StandardCharsets.UTF_8)
					: BodyPublishers.noBody());
		this.headers.forEach(builder::header);
		return builder.build();
	}

	@Override
	public String toString() {
		return this.method + " " + this.path;
	}

}
