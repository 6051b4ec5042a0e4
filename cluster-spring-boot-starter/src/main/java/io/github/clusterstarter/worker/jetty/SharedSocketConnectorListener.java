package io.github.clusterstarter.worker.jetty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channel;

import io.github.clusterstarter.socket.StandardStreams;
import io.github.clusterstarter.worker.SharedSocketListener;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Makes a Jetty {@link ServerConnector} serve the shared socket inherited on fd 0, accept
 * only once the application is ready, and stop accepting without disturbing the sibling
 * workers.
 * <p>
 * To stop accepting, it closes this worker's copy of the inherited channel, which wakes
 * the blocked acceptor. Jetty closes that channel itself when the connector shuts down or
 * stops, and interrupting an acceptor blocked on it would close it too: in each case the
 * JDK would then point standard output and error at {@code /dev/null}. As a
 * {@link NetworkConnector.Listener}, this object closes the channel first, with the
 * streams kept, on every one of Jetty's close paths, which Jetty runs before it
 * interrupts its acceptors.
 */
class SharedSocketConnectorListener implements SharedSocketListener, NetworkConnector.Listener, LifeCycle.Listener {

	private final ServerConnector connector;

	private volatile boolean acceptingStopped;

	private volatile boolean gateOpen;

	SharedSocketConnectorListener(ServerConnector connector) {
		this.connector = connector;
		connector.setInheritChannel(true);
		// Blocking acceptors wait for setAccepting(true) before their first accept
		connector.setAccepting(false);
		connector.addEventListener(this);
	}

	/**
	 * Let the connector accept, once the application is ready.
	 */
	void openGate() {
		this.gateOpen = true;
		if (!this.acceptingStopped) {
			this.connector.setAccepting(true);
		}
	}

	@Override
	public void lifeCycleStarted(LifeCycle event) {
		// A connector without acceptor threads accepts through its selector as it starts
		if (!this.gateOpen && this.connector.getAcceptors() == 0) {
			this.connector.setAccepting(false);
		}
	}

	@Override
	public void stopAccepting() {
		if (this.acceptingStopped) {
			return;
		}
		this.acceptingStopped = true;
		this.connector.setAccepting(false);
		try {
			Channel channel = System.inheritedChannel();
			if (channel != null && channel.isOpen()) {
				StandardStreams.closeKeepingStreams(channel);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not close this worker's copy of the shared socket", ex);
		}
	}

	@Override
	public void onClose(NetworkConnector connector) {
		stopAccepting();
	}

	@Override
	public long openConnections() {
		return this.connector.getConnectedEndPoints().size();
	}

}
