package io.github.clusterstarter.worker.jetty;

import java.util.Arrays;
import java.util.Optional;

import io.github.clusterstarter.warmup.WarmupListener;
import io.github.clusterstarter.warmup.WarmupListenerFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.WebServer;

/**
 * Opens the warm-up listener of a worker's Jetty, with Spring MVC or WebFlux: a connector
 * on {@code 127.0.0.1}, on a free port, with the HTTP configuration of the application's
 * connectors, added to the running server. Requests to it pass the server's handlers, as
 * those of the shared socket do; the connector is stopped and removed after the warm-up.
 */
public class JettyWarmupListeners implements WarmupListenerFactory {

	/**
	 * Name of the warm-up connector, by which {@link ClusterJettyHandler} leaves its
	 * requests uncounted.
	 */
	static final String CONNECTOR_NAME = "cluster-warmup";

	@Override
	public Optional<WarmupListener> open(WebServer webServer) throws Exception {
		if (!(webServer instanceof JettyWebServer jetty)) {
			return Optional.empty();
		}
		Server server = jetty.getServer();
		ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfiguration(server)));
		connector.setName(CONNECTOR_NAME);
		connector.setHost("127.0.0.1");
		connector.setPort(0);
		server.addConnector(connector);
		try {
			connector.start();
		}
		catch (Exception ex) {
			server.removeConnector(connector);
			throw ex;
		}
		return Optional.of(new JettyWarmupListener(server, connector));
	}

	private static HttpConfiguration httpConfiguration(Server server) {
		return Arrays.stream(server.getConnectors())
			.map((connector) -> connector.getConnectionFactory(HttpConnectionFactory.class))
			.filter((factory) -> factory != null)
			.map(HttpConnectionFactory::getHttpConfiguration)
			.findFirst()
			.orElseGet(HttpConfiguration::new);
	}

	/**
	 * Return whether a connector is the warm-up connector.
	 * @param connector the connector of a request
	 * @return whether it is the warm-up connector
	 */
	static boolean isWarmup(Connector connector) {
		return CONNECTOR_NAME.equals(connector.getName());
	}

	private record JettyWarmupListener(Server server, ServerConnector connector) implements WarmupListener {

		@Override
		public int port() {
			return this.connector.getLocalPort();
		}

		@Override
		public void close() {
			try {
				this.connector.stop();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not stop Jetty's warm-up connector", ex);
			}
			finally {
				this.server.removeConnector(this.connector);
			}
		}

	}

}
