package io.github.clusterstarter.warmup;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/**
 * A client of a worker's private warm-up listener: a loopback address on which the
 * worker's web server serves requests through the application's full handler chain
 * (filters, security, controllers, message converters) while the shared socket waits.
 * Requests sent through it are not counted as served by the worker.
 */
public final class WarmupClient {

	private final HttpClient httpClient;

	private final URI baseUri;

	private final Duration requestTimeout;

	WarmupClient(int port, Duration requestTimeout) {
		this.httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.proxy(HttpClient.Builder.NO_PROXY)
			.connectTimeout(requestTimeout)
			.build();
		this.baseUri = URI.create("http://127.0.0.1:" + port);
		this.requestTimeout = requestTimeout;
	}

	/**
	 * Return the URI of a path on the warm-up listener.
	 * @param path the path, starting with {@code /}, with an optional query
	 * @return the URI
	 */
	public URI uri(String path) {
		return this.baseUri.resolve(path);
	}

	/**
	 * Start a request to a path on the warm-up listener, with
	 * {@code cluster.worker.warmup.request-timeout} as its timeout.
	 * @param path the path, starting with {@code /}, with an optional query
	 * @return a builder of the request, to add a method, headers and a body to
	 */
	public HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(uri(path)).timeout(this.requestTimeout);
	}

	/**
	 * Send a request, built with {@link #request(String)}, and read its answer.
	 * @param request the request
	 * @return the response, with its body as a string
	 * @throws IOException if the request fails
	 * @throws InterruptedException if the warm-up is abandoned meanwhile
	 */
	public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.httpClient.send(request, BodyHandlers.ofString());
	}

	/**
	 * Send a GET request for a path.
	 * @param path the path, starting with {@code /}, with an optional query
	 * @return the response, with its body as a string
	 * @throws IOException if the request fails
	 * @throws InterruptedException if the warm-up is abandoned meanwhile
	 */
	public HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return send(request(path).GET().build());
	}

}
