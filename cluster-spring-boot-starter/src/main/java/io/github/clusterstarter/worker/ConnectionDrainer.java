package io.github.clusterstarter.worker;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Drains a stopping worker before Spring Boot's graceful shutdown pauses Tomcat: it stops
 * accepting from the shared socket, marks every response {@code Connection: close}, and
 * waits until the worker's connections are closed or the drain timeout passes.
 * <p>
 * Tomcat's pause closes connections that were accepted but not yet processed and ends
 * keep-alive loops with a request in flight without a response, so it must only meet a
 * worker that has no client connection left.
 */
public class ConnectionDrainer implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ConnectionDrainer.class);

	private static final long POLL_MILLIS = 10;

	private final List<ClusterHttp11NioProtocol> protocols = new ArrayList<>();

	private final DrainingValve valve = new DrainingValve();

	private final AcceptGate acceptGate;

	private final Duration timeout;

	private volatile boolean running;

	/**
	 * Create a new drainer.
	 * @param acceptGate the gate that tells whether the worker ever accepted
	 * @param timeout how long to wait for connections to close
	 */
	public ConnectionDrainer(AcceptGate acceptGate, Duration timeout) {
		this.acceptGate = acceptGate;
		this.timeout = timeout;
	}

	DrainingValve getValve() {
		return this.valve;
	}

	void register(ClusterHttp11NioProtocol protocol) {
		this.protocols.add(protocol);
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.protocols.isEmpty()) {
			return;
		}
		long started = System.nanoTime();
		this.valve.startDraining();
		for (ClusterHttp11NioProtocol protocol : this.protocols) {
			try {
				protocol.getClusterEndpoint().stopAccepting();
			}
			catch (IOException ex) {
				logger.warn("Could not stop accepting connections from the shared socket", ex);
			}
		}
		if (!this.acceptGate.isOpen()) {
			return;
		}
		long deadline = started + this.timeout.toNanos();
		long open = openConnections();
		// Two readings in a row, in case the acceptor was just handing over a connection
		while ((open > 0 || (open = openConnectionsAfterPause()) > 0) && System.nanoTime() < deadline) {
			sleep();
			open = openConnections();
		}
		long tookMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
		if (open > 0) {
			logger.info("Stopped accepting; %d connection(s) still open after the drain timeout of %d ms"
				.formatted(open, this.timeout.toMillis()));
		}
		else {
			logger.info("Stopped accepting; all connections drained in %d ms".formatted(tookMillis));
		}
	}

	private long openConnections() {
		long open = 0;
		for (ClusterHttp11NioProtocol protocol : this.protocols) {
			open += protocol.getClusterEndpoint().getClientConnectionCount();
		}
		return open;
	}

	private long openConnectionsAfterPause() {
		sleep();
		return openConnections();
	}

	private void sleep() {
		try {
			Thread.sleep(POLL_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Stops before the web server's graceful shutdown, which pauses the connectors
		return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1;
	}

}
