package io.github.clusterstarter.worker.tomcat;

import java.util.Optional;

import io.github.clusterstarter.warmup.WarmupListener;
import io.github.clusterstarter.warmup.WarmupListenerFactory;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;

/**
 * Opens the warm-up listener of a worker's Tomcat, with Spring MVC or WebFlux: a
 * connector on {@code 127.0.0.1}, on a free port, added to the running service. Requests
 * to it pass the same engine, valves, filters and servlets as those of the shared socket;
 * the connector is removed and destroyed after the warm-up.
 */
public class TomcatWarmupListeners implements WarmupListenerFactory {

	@Override
	public Optional<WarmupListener> open(WebServer webServer) throws Exception {
		if (!(webServer instanceof TomcatWebServer tomcat)) {
			return Optional.empty();
		}
		Service service = tomcat.getTomcat().getService();
		WarmupConnector connector = new WarmupConnector();
		service.addConnector(connector);
		if (connector.getLocalPort() <= 0) {
			service.removeConnector(connector);
			connector.destroy();
			throw new IllegalStateException("Tomcat's warm-up connector did not start");
		}
		return Optional.of(new TomcatWarmupListener(service, connector));
	}

	/**
	 * Tomcat's warm-up connector, a type of its own so that {@link RequestStatsValve} does
	 * not count its requests.
	 */
	static final class WarmupConnector extends Connector {

		WarmupConnector() {
			super("HTTP/1.1");
			setPort(0);
			setProperty("address", "127.0.0.1");
			// Not to wait for a warm-up request that hangs when the connector is removed
			setProperty("executorTerminationTimeoutMillis", "0");
		}

	}

	private record TomcatWarmupListener(Service service, Connector connector) implements WarmupListener {

		@Override
		public int port() {
			return this.connector.getLocalPort();
		}

		@Override
		public void close() {
			this.service.removeConnector(this.connector);
			try {
				this.connector.destroy();
			}
			catch (LifecycleException ex) {
				throw new IllegalStateException("Could not close Tomcat's warm-up connector", ex);
			}
		}

	}

}
