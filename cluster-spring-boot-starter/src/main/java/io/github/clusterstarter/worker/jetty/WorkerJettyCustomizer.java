package io.github.clusterstarter.worker.jetty;

import io.github.clusterstarter.worker.AcceptGate;
import io.github.clusterstarter.worker.ConnectionDrainer;
import io.github.clusterstarter.worker.RequestStats;
import io.github.clusterstarter.worker.SharedSocketCustomizer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import org.springframework.boot.jetty.JettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Makes a worker's Jetty, with Spring MVC or WebFlux, serve the shared socket inherited
 * from the master instead of binding a port, accept only once the application is ready,
 * and drain before it stops.
 */
public class WorkerJettyCustomizer
		implements WebServerFactoryCustomizer<JettyWebServerFactory>, SharedSocketCustomizer, Ordered {

	private final AcceptGate acceptGate;

	private final RequestStats requestStats;

	private final ConnectionDrainer drainer;

	/**
	 * Create a new customizer.
	 * @param acceptGate the gate that holds the connector back until the application is
	 * ready
	 * @param requestStats the counters of the requests the worker serves
	 * @param drainer the drainer that stops the worker's connector
	 */
	public WorkerJettyCustomizer(AcceptGate acceptGate, RequestStats requestStats, ConnectionDrainer drainer) {
		this.acceptGate = acceptGate;
		this.requestStats = requestStats;
		this.drainer = drainer;
	}

	@Override
	public Class<JettyWebServerFactory> factoryType() {
		return JettyWebServerFactory.class;
	}

	@Override
	public void customize(JettyWebServerFactory factory) {
		int port = factory.getPort();
		factory.addServerCustomizers((server) -> customize(server, port));
	}

	private void customize(Server server, int port) {
		for (Connector connector : server.getConnectors()) {
			// The connector Spring Boot made for server.port, not one an application added
			if (connector instanceof ServerConnector serverConnector && serverConnector.getPort() == port) {
				SharedSocketConnectorListener listener = new SharedSocketConnectorListener(serverConnector);
				this.acceptGate.whenOpen(listener::openGate);
				this.drainer.register(listener);
			}
		}
		server.insertHandler(new ClusterJettyHandler(this.requestStats, this.drainer));
	}

	@Override
	public int getOrder() {
		// Last, so that the server customizer sees the connectors other customizers made
		return Ordered.LOWEST_PRECEDENCE;
	}

}
