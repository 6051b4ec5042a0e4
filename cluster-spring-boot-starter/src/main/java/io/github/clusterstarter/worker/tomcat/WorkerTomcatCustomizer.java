package io.github.clusterstarter.worker.tomcat;

import io.github.clusterstarter.worker.AcceptGate;
import io.github.clusterstarter.worker.ConnectionDrainer;
import io.github.clusterstarter.worker.RequestStats;
import io.github.clusterstarter.worker.SharedSocketCustomizer;

import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Makes a worker's Tomcat, with Spring MVC or WebFlux, serve the shared socket inherited
 * from the master instead of binding a port, accept only once the application is ready,
 * and drain before it stops.
 */
public class WorkerTomcatCustomizer
		implements WebServerFactoryCustomizer<TomcatWebServerFactory>, SharedSocketCustomizer, Ordered {

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
	public Class<TomcatWebServerFactory> factoryType() {
		return TomcatWebServerFactory.class;
	}

	@Override
	public void customize(TomcatWebServerFactory factory) {
		factory.setProtocol(ClusterHttp11NioProtocol.class.getName());
		factory.addEngineValves(new DrainingValve(this.drainer), new RequestStatsValve(this.requestStats));
		factory.addConnectorCustomizers((connector) -> {
			if (connector.getProtocolHandler() instanceof ClusterHttp11NioProtocol protocol) {
				protocol.getClusterEndpoint().setAcceptGate(this.acceptGate);
				this.drainer.register(protocol.getClusterEndpoint());
			}
		});
	}

	@Override
	public int getOrder() {
		// Last, so that no other customizer replaces the protocol
		return Ordered.LOWEST_PRECEDENCE;
	}

}
