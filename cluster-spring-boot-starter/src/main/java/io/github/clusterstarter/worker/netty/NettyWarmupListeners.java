package io.github.clusterstarter.worker.netty;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.clusterstarter.warmup.WarmupListener;
import io.github.clusterstarter.warmup.WarmupListenerFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;

/**
 * Opens the warm-up listener of a worker's Reactor Netty server: a second server bound to
 * {@code 127.0.0.1}, on a free port, with the configuration Spring Boot gave the
 * application's server (codecs, compression, timeouts, the customizers of the
 * application), the same event loops and the application's {@link HttpHandler}, so that
 * requests pass the same WebFlux chain. It is disposed of after the warm-up. Reactor
 * Netty servers cannot listen on a second address, and the application's server takes
 * its channel from the shared socket, so the warm-up server is a server of its own.
 * <p>
 * As a customizer it keeps the server configuration before
 * {@link WorkerNettyCustomizer} points it at the shared socket and counts its requests,
 * which is why it is ordered just before that one.
 */
public class NettyWarmupListeners
		implements WarmupListenerFactory, WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

	private static final Duration DISPOSE_TIMEOUT = Duration.ofSeconds(1);

	private final ObjectProvider<HttpHandler> httpHandler;

	private final Supplier<LoopResources> loopResources;

	private volatile @Nullable HttpServer server;

	/**
	 * Create a new factory.
	 * @param httpHandler the application's HTTP handler
	 * @param loopResources the application's loop resources, looked up when the warm-up
	 * server binds
	 */
	public NettyWarmupListeners(ObjectProvider<HttpHandler> httpHandler, Supplier<LoopResources> loopResources) {
		this.httpHandler = httpHandler;
		this.loopResources = loopResources;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		factory.addServerCustomizers((server) -> {
			this.server = server;
			return server;
		});
	}

	@Override
	public Optional<WarmupListener> open(WebServer webServer) {
		HttpServer server = this.server;
		if (!(webServer instanceof NettyWebServer) || server == null) {
			return Optional.empty();
		}
		DisposableServer warmupServer = server.host("127.0.0.1")
			.port(0)
			.runOn(this.loopResources.get(), false)
			.handle(new ReactorHttpHandlerAdapter(this.httpHandler.getObject()))
			.bindNow();
		return Optional.of(new NettyWarmupListener(warmupServer));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 1;
	}

	private record NettyWarmupListener(DisposableServer server) implements WarmupListener {

		@Override
		public int port() {
			return this.server.port();
		}

		@Override
		public void close() {
			try {
				this.server.disposeNow(DISPOSE_TIMEOUT);
			}
			catch (IllegalStateException ex) {
				// Not disposed of in time: a warm-up request hangs, and its connection
				// closes when it ends
			}
		}

	}

}
