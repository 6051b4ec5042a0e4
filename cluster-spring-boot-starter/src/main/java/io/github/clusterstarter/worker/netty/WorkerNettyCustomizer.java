package io.github.clusterstarter.worker.netty;

import java.util.function.Supplier;

import io.github.clusterstarter.socket.InheritedSocket;
import io.github.clusterstarter.worker.AcceptGate;
import io.github.clusterstarter.worker.ConnectionDrainer;
import io.github.clusterstarter.worker.RequestStats;
import io.github.clusterstarter.worker.SharedSocketCustomizer;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Makes a worker's Reactor Netty server serve the shared socket inherited from the master
 * instead of binding a port, accept only once the application is ready, and drain before
 * it stops.
 * <p>
 * The server channel wraps the inherited {@link java.nio.channels.ServerSocketChannel}
 * with Netty's NIO transport, so the server runs on NIO event loops even where the native
 * epoll transport is available. Spring Boot's server would run on the loop resources of
 * its {@code ReactorResourceFactory}, set last, so this customizer takes that factory off
 * the server factory and runs the server on the same resources itself, through
 * {@link InheritedSocketLoopResources}.
 */
public class WorkerNettyCustomizer
		implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, SharedSocketCustomizer, Ordered {

	private final AcceptGate acceptGate;

	private final RequestStats requestStats;

	private final ConnectionDrainer drainer;

	private final Supplier<LoopResources> loopResources;

	/**
	 * Create a new customizer.
	 * @param acceptGate the gate that holds accepts back until the application is ready
	 * @param requestStats the counters of the requests the worker serves
	 * @param drainer the drainer that stops the worker's server channel
	 * @param loopResources the application's loop resources, looked up when the server
	 * binds
	 */
	public WorkerNettyCustomizer(AcceptGate acceptGate, RequestStats requestStats, ConnectionDrainer drainer,
			Supplier<LoopResources> loopResources) {
		this.acceptGate = acceptGate;
		this.requestStats = requestStats;
		this.drainer = drainer;
		this.loopResources = loopResources;
	}

	@Override
	public Class<NettyReactiveWebServerFactory> factoryType() {
		return NettyReactiveWebServerFactory.class;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		factory.setResourceFactory(null);
		factory.addServerCustomizers(this::customize);
	}

	private HttpServer customize(HttpServer server) {
		return server.runOn(new InheritedSocketLoopResources(this.loopResources, this::serverChannel), false)
			.mapHandle(this::handle);
	}

	private InheritedServerSocketChannel serverChannel() {
		InheritedServerSocketChannel channel = new InheritedServerSocketChannel(InheritedSocket.listeningChannel()
			.orElseThrow(() -> new IllegalStateException("No listening socket inherited on standard input")));
		this.acceptGate.whenOpen(channel::openGate);
		this.drainer.register(channel);
		return channel;
	}

	private Mono<Void> handle(Mono<Void> request, Connection connection) {
		if (this.drainer.isDraining() && connection instanceof HttpServerResponse response) {
			response.keepAlive(false);
		}
		this.requestStats.started();
		return request.doFinally((signal) -> this.requestStats.finished());
	}

	@Override
	public int getOrder() {
		// Last, so that no other customizer puts the resource factory back
		return Ordered.LOWEST_PRECEDENCE;
	}

}
