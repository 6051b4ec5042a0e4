package io.github.clusterstarter.worker.tomcat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;

import io.github.clusterstarter.socket.StandardStreams;
import io.github.clusterstarter.worker.AcceptGate;
import io.github.clusterstarter.worker.SharedSocketListener;
import org.apache.tomcat.util.net.NioEndpoint;

/**
 * A {@link NioEndpoint} that serves the cluster's shared listening socket, inherited on
 * fd 0, and that can stop accepting from it without disturbing the sibling workers.
 * <p>
 * Tomcat's own way to stop accepting ({@code unlockAccept()}) opens a connection to the
 * listening port to wake its acceptor. On a shared socket a sibling may accept that
 * connection while this worker stays blocked in {@code accept()} and later destroys a real
 * client's connection. Instead, this endpoint closes its own copy of the inherited
 * channel, which wakes the acceptor, and then keeps the acceptor quietly parked until the
 * endpoint stops.
 */
public class ClusterNioEndpoint extends NioEndpoint implements SharedSocketListener {

	private static final long POLL_MILLIS = 50;

	private volatile AcceptGate acceptGate = new AcceptGate();

	private volatile boolean acceptingStopped;

	/**
	 * Whether the acceptor is inside {@link #serverSocketAccept()} without a connection:
	 * it counted one up front, which is no client connection.
	 */
	private volatile boolean acceptorWaiting;

	public ClusterNioEndpoint() {
		setUseInheritedChannel(true);
		this.acceptGate.open();
	}

	void setAcceptGate(AcceptGate acceptGate) {
		this.acceptGate = acceptGate;
	}

	@Override
	public void stopAccepting() {
		if (this.acceptingStopped) {
			return;
		}
		this.acceptingStopped = true;
		try {
			Channel channel = System.inheritedChannel();
			if (channel != null) {
				StandardStreams.closeKeepingStreams(channel);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not close this worker's copy of the shared socket", ex);
		}
	}

	@Override
	public long openConnections() {
		long count = getConnectionCount();
		return Math.max(0, this.acceptorWaiting ? count - 1 : count);
	}

	@Override
	protected SocketChannel serverSocketAccept() throws Exception {
		this.acceptorWaiting = true;
		while (!this.acceptGate.await(POLL_MILLIS)) {
			if (!isRunning() || this.acceptingStopped) {
				parkUntilStopped();
				throw new ClosedChannelException();
			}
		}
		try {
			SocketChannel channel = super.serverSocketAccept();
			this.acceptorWaiting = false;
			return channel;
		}
		catch (IOException ex) {
			if (this.acceptingStopped) {
				parkUntilStopped();
			}
			throw ex;
		}
	}

	/**
	 * Keep the acceptor here until the endpoint stops running, so that it exits its loop
	 * without logging an accept failure for the channel that was closed on purpose.
	 */
	private void parkUntilStopped() throws InterruptedException {
		while (isRunning()) {
			Thread.sleep(POLL_MILLIS);
		}
	}

	@Override
	protected void unlockAccept() {
		if (!this.acceptingStopped) {
			super.unlockAccept();
		}
	}

}
