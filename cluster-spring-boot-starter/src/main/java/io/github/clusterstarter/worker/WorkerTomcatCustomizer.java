package io.github.clusterstarter.worker;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Makes a worker's Tomcat serve the shared socket inherited from the master instead of
 * binding a port, accept only once the application is ready, and drain before it stops.
 */
public class WorkerTomcatCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

	private final AcceptGate acceptGate;

	private final RequestStats requestStats;

	private final ConnectionDrainer drainer;

	/**
	 * Create a new customizer.
	 * @param acceptGate the gate that holds the acceptor back until the application is
	 * ready
	 * @param requestStats the counters of the requests the worker serves
	 * @param drainer the drainer that stops the worker's connector
	 */
	public WorkerTomcatCustomizer(AcceptGate acceptGate, RequestStats requestStats, ConnectionDrainer drainer) {
		this.acceptGate = acceptGate;
		this.requestStats = requestStats;
		this.drainer = drainer;
	}

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.setProtocol(ClusterHttp11NioProtocol.class.getName());
		factory.addEngineValves(this.drainer.getValve(), new RequestStatsValve(this.requestStats));
		factory.addConnectorCustomizers((connector) -> {
			if (connector.getProtocolHandler() instanceof ClusterHttp11NioProtocol protocol) {
				protocol.getClusterEndpoint().setAcceptGate(this.acceptGate);
				this.drainer.register(protocol);
			}
		});
	}

	@Override
	public int getOrder() {
		// Last, so that no other customizer replaces the protocol
		return Ordered.LOWEST_PRECEDENCE;
	}

}
