package io.github.clusterstarter.warmup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.clusterstarter.autoconfigure.ClusterWarmupProperties;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.WebServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WorkerWarmup} against a JDK HTTP server that stands in for the worker's private
 * listener, with paths that answer, fail, break the connection and hang.
 */
@ExtendWith(OutputCaptureExtension.class)
class WorkerWarmupTests {

	private final HttpServer server;

	private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

	private final AtomicInteger maxInFlight = new AtomicInteger();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final CountDownLatch release = new CountDownLatch(1);

	private final AtomicBoolean listenerClosed = new AtomicBoolean();

	private final ClusterWarmupProperties properties = new ClusterWarmupProperties();

	private final Map<String, ClusterWarmup> beans = new LinkedHashMap<>();

	WorkerWarmupTests() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setExecutor(Executors.newCachedThreadPool());
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.release.countDown();
		this.server.stop(0);
	}

	private void handle(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		this.calls.computeIfAbsent(exchange.getRequestMethod() + " " + path, (key) -> new AtomicInteger())
			.incrementAndGet();
		this.maxInFlight.accumulateAndGet(this.inFlight.incrementAndGet(), Math::max);
		try {
			switch (path) {
				case "/fail" -> respond(exchange, 500, "");
				case "/missing" -> respond(exchange, 404, "");
				case "/broken" -> exchange.close();
				case "/hang" -> {
					this.release.await();
					respond(exchange, 200, "late");
				}
				default -> respond(exchange, 200, new String(exchange.getRequestBody().readAllBytes(),
						StandardCharsets.UTF_8));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.inFlight.decrementAndGet();
		}
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, (bytes.length > 0) ? bytes.length : -1);
		if (bytes.length > 0) {
			exchange.getResponseBody().write(bytes);
		}
		exchange.close();
	}

	private void warmUp() {
		warmUp(JitActivity.ofThisJvm());
	}

	private void warmUp(@Nullable JitActivity jit) {
		WarmupListenerFactory factory = (webServer) -> Optional.of(new WarmupListener() {

			@Override
			public int port() {
				return WorkerWarmupTests.this.server.getAddress().getPort();
			}

			@Override
			public void close() {
				WorkerWarmupTests.this.listenerClosed.set(true);
			}

		});
		new WorkerWarmup(WarmupPlan.of(this.properties), List.of(factory), this.beans, StubWebServer::new, jit).run();
	}

	private int calls(String request) {
		AtomicInteger count = this.calls.get(request);
		return (count != null) ? count.get() : 0;
	}

	@Test
	void sendsEveryRequestCountTimesWithTheConfiguredConcurrencyThenClosesTheListener(CapturedOutput output) {
		this.properties.setPaths(List.of("/hello", "/orders?page=1"));
		ClusterWarmupProperties.Request post = new ClusterWarmupProperties.Request();
		post.setMethod("POST");
		post.setPath("/cart");
		post.setBody("{}");
		this.properties.setRequests(List.of(post));
		this.properties.setCount(30);
		this.properties.setConcurrency(3);
		warmUp();
		assertThat(calls("GET /hello")).isEqualTo(30);
		assertThat(calls("GET /orders")).isEqualTo(30);
		assertThat(calls("POST /cart")).isEqualTo(30);
		assertThat(this.maxInFlight.get()).isBetween(1, 3);
		assertThat(this.listenerClosed).isTrue();
		assertThat(output).contains("Warmed up in").contains("90 request(s) answered").doesNotContain("WARN");
	}

	@Test
	void nothingConfiguredOpensNoListener() {
		warmUp();
		assertThat(this.calls).isEmpty();
		assertThat(this.listenerClosed).isFalse();
	}

	@Test
	void disabledWarmupCallsNoBean() {
		this.properties.setEnabled(false);
		this.properties.setPaths(List.of("/hello"));
		AtomicBoolean called = new AtomicBoolean();
		this.beans.put("bean", (client) -> called.set(true));
		warmUp();
		assertThat(this.calls).isEmpty();
		assertThat(called).isFalse();
	}

	@Test
	void requestsThatFailAreWarnedOnceAndLeftOutWhileTheOthersGoOn(CapturedOutput output) {
		this.properties.setPaths(List.of("/fail", "/missing", "/broken", "/hello"));
		this.properties.setCount(20);
		warmUp();
		assertThat(calls("GET /hello")).isEqualTo(20);
		// At most one more in flight on the other sender when the first failure came
		assertThat(calls("GET /fail")).isBetween(1, 2);
		assertThat(calls("GET /missing")).isBetween(1, 2);
		assertThat(output).containsOnlyOnce("Warm-up request GET /fail answered 500; it is left out of the warm-up")
			.containsOnlyOnce("Warm-up request GET /missing answered 404")
			.containsOnlyOnce("Warm-up request GET /broken failed: java.io.IOException");
	}

	@Test
	void requestThatHangsIsGivenUpAtTheRequestTimeout(CapturedOutput output) {
		this.properties.setPaths(List.of("/hang", "/hello"));
		this.properties.setRequestTimeout(Duration.ofMillis(500));
		this.properties.setConcurrency(1);
		this.properties.setCount(5);
		long start = System.nanoTime();
		warmUp();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(calls("GET /hang")).isOne();
		assertThat(calls("GET /hello")).isEqualTo(5);
		assertThat(output).containsOnlyOnce("Warm-up request GET /hang had no answer within 500 ms");
	}

	@Test
	void warmupThatHangsStopsAtTheTimeoutAndNamesWhatWasInFlight(CapturedOutput output) {
		this.properties.setPaths(List.of("/hang"));
		this.properties.setRequestTimeout(Duration.ofMinutes(1));
		this.properties.setTimeout(Duration.ofMillis(800));
		AtomicBoolean beanCalled = new AtomicBoolean();
		this.beans.put("late", (client) -> beanCalled.set(true));
		long start = System.nanoTime();
		warmUp();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(700),
				Duration.ofSeconds(5));
		assertThat(beanCalled).isFalse();
		assertThat(this.listenerClosed).isTrue();
		assertThat(output).containsOnlyOnce(
				"Warm-up stopped at its timeout of 800 ms (cluster.worker.warmup.timeout) with GET /hang unfinished");
	}

	@Test
	void untilCompiledSendsRoundsWhileTheCompilerIsBusy(CapturedOutput output) {
		this.properties.setPaths(List.of("/hello"));
		this.properties.setCount(10);
		this.properties.setUntilCompiled(true);
		AtomicBoolean beanCalled = new AtomicBoolean();
		this.beans.put("bean", (client) -> beanCalled.set(true));
		// The compiler works while the first 30 requests are answered, then has nothing to do
		warmUp(new JitActivity(() -> 1000L * Math.min(calls("GET /hello"), 30)));
		assertThat(calls("GET /hello")).isEqualTo(40);
		assertThat(beanCalled).isTrue();
		assertThat(output).contains("40 request(s) answered in 4 rounds, the last of which left the JIT compiler "
				+ "next to idle, 1 ClusterWarmup bean(s) called").doesNotContain("WARN");
	}

	@Test
	void untilCompiledStopsAtTheTimeoutWhileTheCompilerStaysBusy(CapturedOutput output) {
		this.properties.setPaths(List.of("/hello"));
		this.properties.setCount(5);
		this.properties.setUntilCompiled(true);
		this.properties.setTimeout(Duration.ofMillis(800));
		AtomicInteger compiled = new AtomicInteger();
		long start = System.nanoTime();
		warmUp(new JitActivity(() -> 1000L * compiled.incrementAndGet()));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(700),
				Duration.ofSeconds(5));
		assertThat(calls("GET /hello")).isGreaterThan(10);
		assertThat(this.listenerClosed).isTrue();
		assertThat(output).contains("the JIT compiler was still busy at the timeout of 800 ms")
			.doesNotContain("Warm-up stopped at its timeout");
	}

	@Test
	void untilCompiledEndsWhenEveryRequestHasFailedHoweverBusyTheCompiler(CapturedOutput output) {
		this.properties.setPaths(List.of("/fail", "/missing"));
		this.properties.setCount(5);
		this.properties.setUntilCompiled(true);
		AtomicInteger compiled = new AtomicInteger();
		long start = System.nanoTime();
		warmUp(new JitActivity(() -> 1000L * compiled.incrementAndGet()));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(calls("GET /fail")).isBetween(1, 2);
		assertThat(output).contains("0 request(s) answered in 2 rounds, the last of which had nothing left to send");
	}

	@Test
	void untilCompiledIsIgnoredWithAWarningWhereTheJvmReportsNoCompilation(CapturedOutput output) {
		this.properties.setPaths(List.of("/hello"));
		this.properties.setCount(10);
		this.properties.setUntilCompiled(true);
		warmUp(null);
		assertThat(calls("GET /hello")).isEqualTo(10);
		assertThat(output).containsOnlyOnce(
				"cluster.worker.warmup.until-compiled is ignored: this JVM reports no JIT compilation time");
	}

	@Test
	void withoutUntilCompiledOneRoundIsSentHoweverBusyTheCompiler() {
		this.properties.setPaths(List.of("/hello"));
		this.properties.setCount(10);
		AtomicInteger compiled = new AtomicInteger();
		warmUp(new JitActivity(() -> 1000L * compiled.incrementAndGet()));
		assertThat(calls("GET /hello")).isEqualTo(10);
		assertThat(compiled).hasValue(0);
	}

	@Test
	void beansGetAClientOfTheListenerAndOneThatThrowsDoesNotStopTheNext(CapturedOutput output) {
		this.beans.put("throwing", (client) -> {
			throw new IllegalStateException("no warm-up today");
		});
		this.beans.put("posting", (client) -> client
			.send(client.request("/echo").POST(BodyPublishers.ofString("hi")).build()));
		warmUp();
		assertThat(calls("POST /echo")).isOne();
		assertThat(output)
			.containsOnlyOnce("ClusterWarmup bean 'throwing' failed: java.lang.IllegalStateException: no warm-up today")
			.contains("2 ClusterWarmup bean(s) called");
	}

	@Test
	void beanThatHangsIsAbandonedAtTheTimeout(CapturedOutput output) throws InterruptedException {
		this.properties.setTimeout(Duration.ofMillis(500));
		CountDownLatch interrupted = new CountDownLatch(1);
		this.beans.put("hanging", (client) -> {
			try {
				this.release.await();
			}
			finally {
				interrupted.countDown();
			}
		});
		long start = System.nanoTime();
		warmUp();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(output).containsOnlyOnce("with ClusterWarmup bean 'hanging' unfinished");
		assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the abandoned bean's thread is interrupted").isTrue();
	}

	@Test
	void webServerWithoutListenerIsWarnedAndSkipped(CapturedOutput output) {
		this.properties.setPaths(List.of("/hello"));
		new WorkerWarmup(WarmupPlan.of(this.properties), List.of((webServer) -> Optional.empty()), this.beans,
				StubWebServer::new)
			.run();
		assertThat(this.calls).isEmpty();
		assertThat(output).contains("Warm-up skipped: java.lang.IllegalStateException: no warm-up listener for");
	}

	private static final class StubWebServer implements WebServer {

		@Override
		public void start() {
		}

		@Override
		public void stop() {
		}

		@Override
		public int getPort() {
			return 0;
		}

	}

}
