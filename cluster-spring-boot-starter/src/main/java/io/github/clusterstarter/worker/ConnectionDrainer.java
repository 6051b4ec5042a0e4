package io.github.clusterstarter.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Drains a stopping worker before Spring Boot's graceful shutdown stops its web server:
 * it stops accepting from the shared socket, has every response marked
 * {@code Connection: close} (see {@link #isDraining()}), and waits until the worker's
 * connections are closed or the drain timeout passes.
 * <p>
 * A web server's own graceful shutdown closes connections that were accepted but not yet
 * processed, or idle keep-alive connections on which a client is sending its next request
 * (Tomcat's pause, for one, ends keep-alive loops with a request in flight without a
 * response), so it must only meet a worker that has no client connection left.
 */
public class ConnectionDrainer implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ConnectionDrainer.class);

	private static final long POLL_MILLIS = 10;

	private final List<SharedSocketListener> listeners = new CopyOnWriteArrayList<>();

	private final AcceptGate acceptGate;

	private final Duration timeout;

	private volatile boolean running;

	private volatile boolean draining;

	/**
	 * Create a new drainer.
	 * @param acceptGate the gate that tells whether the worker ever accepted
	 * @param timeout how long to wait for connections to close
	 */
	public ConnectionDrainer(AcceptGate acceptGate, Duration timeout) {
		this.acceptGate = acceptGate;
		this.timeout = timeout;
	}

	/**
	 * Register the part of the web server that accepts from the shared socket.
	 * @param listener the listener to stop and watch
	 */
	public void register(SharedSocketListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Return whether the worker is draining: every response from now on must ask the
	 * client to close its connection.
	 * @return whether responses are marked {@code Connection: close}
	 */
	public boolean isDraining() {
		return this.draining;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.listeners.isEmpty()) {
			return;
		}
		long started = System.nanoTime();
		this.draining = true;
		for (SharedSocketListener listener : this.listeners) {
			try {
				listener.stopAccepting();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not stop accepting connections from the shared socket", ex);
			}
		}
		if (!this.acceptGate.isOpen()) {
			return;
		}
		long deadline = started + this.timeout.toNanos();
		long open = openConnections();
		// Two readings in a row, in case a connection was just being handed over
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
		for (SharedSocketListener listener : this.listeners) {
			open += listener.openConnections();
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
		// Stops before the web server's graceful shutdown
		return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1;
	}

}
