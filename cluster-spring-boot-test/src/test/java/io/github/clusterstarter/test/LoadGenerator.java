package io.github.clusterstarter.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends requests from several concurrent clients until stopped, and counts every
 * response and every failure. Clients either keep their connections alive (one
 * {@link HttpClient} per client) or open a new connection per request.
 */
public final class LoadGenerator implements AutoCloseable {

	private final AtomicBoolean stopped = new AtomicBoolean();

	private final AtomicLong succeeded = new AtomicLong();

	private final List<String> failures = new CopyOnWriteArrayList<>();

	private final List<Thread> clients = new ArrayList<>();

	private LoadGenerator() {
	}

	/**
	 * Start clients that keep their connections alive.
	 * @param port the port
	 * @param path the path to request
	 * @param clients the number of concurrent clients
	 * @return the running load
	 */
	public static LoadGenerator keepAlive(int port, String path, int clients) {
		LoadGenerator load = new LoadGenerator();
		for (int i = 0; i < clients; i++) {
			load.startKeepAlive("keep-alive-" + i, request(port, path).build());
		}
		return load;
	}

	/**
	 * Start clients that keep their connections alive and send {@code POST} requests with
	 * a body, which the JDK's client never retries on another connection: a request lost
	 * on a connection the server closed is a failure.
	 * @param port the port
	 * @param path the path to post to
	 * @param clients the number of concurrent clients
	 * @return the running load
	 */
	public static LoadGenerator keepAlivePosts(int port, String path, int clients) {
		LoadGenerator load = new LoadGenerator();
		for (int i = 0; i < clients; i++) {
			load.startKeepAlive("post-" + i,
					request(port, path).POST(HttpRequest.BodyPublishers.ofString("order from client " + i)).build());
		}
		return load;
	}

	private static HttpRequest.Builder request(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
	}

	/**
	 * Start a client of its own, so that it keeps its own connection alive.
	 */
	private void startKeepAlive(String name, HttpRequest request) {
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		start(name, () -> client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
	}

	/**
	 * Start clients that open a new connection for every request.
	 * @param port the port
	 * @param path the path to request
	 * @param clients the number of concurrent clients
	 * @return the running load
	 */
	public static LoadGenerator newConnectionPerRequest(int port, String path, int clients) {
		LoadGenerator load = new LoadGenerator();
		for (int i = 0; i < clients; i++) {
			load.start("close-" + i, () -> RawHttp.get(port, path).status());
		}
		return load;
	}

	private void start(String name, Request request) {
		Thread client = new Thread(() -> {
			while (!this.stopped.get()) {
				try {
					int status = request.send();
					if (status == 200) {
						this.succeeded.incrementAndGet();
					}
					else {
						this.failures.add(name + ": status " + status);
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				catch (Exception ex) {
					this.failures.add(name + ": " + ex);
				}
			}
		}, "load-" + name);
		client.setDaemon(true);
		this.clients.add(client);
		client.start();
	}

	/**
	 * Return the number of requests answered with 200 so far.
	 * @return the count
	 */
	public long succeeded() {
		return this.succeeded.get();
	}

	/**
	 * Return the failures so far.
	 * @return one line per failed request
	 */
	public List<String> failures() {
		return List.copyOf(this.failures);
	}

	/**
	 * Stop the clients and wait for their last requests.
	 */
	@Override
	public void close() throws InterruptedException {
		this.stopped.set(true);
		for (Thread client : this.clients) {
			client.join(30_000);
		}
	}

	@FunctionalInterface
	private interface Request {

		int send() throws Exception;

	}

}
