package io.github.clusterstarter.worker.netty;

import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.clusterstarter.socket.StandardStreams;
import io.github.clusterstarter.worker.SharedSocketListener;
import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * A Netty server channel on the shared socket inherited on fd 0, which the master has
 * already bound. It does not accept until its gate opens ({@code autoRead} is off until
 * then), and stops accepting by turning {@code autoRead} off again: a process that does
 * not accept takes no connection from the shared socket, and the channel stays open for
 * Reactor Netty's graceful shutdown, which closes it. It counts the connections it
 * accepted that are still open.
 */
class InheritedServerSocketChannel extends NioServerSocketChannel implements SharedSocketListener {

	private final AtomicLong openConnections = new AtomicLong();

	private volatile boolean acceptingStopped;

	InheritedServerSocketChannel(ServerSocketChannel inherited) {
		super(inherited);
		config().setAutoRead(false);
	}

	/**
	 * Start accepting, once the application is ready.
	 */
	void openGate() {
		if (!this.acceptingStopped) {
			config().setAutoRead(true);
		}
	}

	@Override
	public void stopAccepting() {
		if (this.acceptingStopped) {
			return;
		}
		this.acceptingStopped = true;
		if (isRegistered() && isOpen()) {
			// On the event loop, so that no accept loop is running once this returns
			eventLoop().submit(() -> config().setAutoRead(false)).awaitUninterruptibly();
		}
	}

	@Override
	public long openConnections() {
		return this.openConnections.get();
	}

	@Override
	protected void doBind(SocketAddress localAddress) {
		// The master bound and listens on the socket
	}

	@Override
	protected int doReadMessages(List<Object> buf) throws Exception {
		int before = buf.size();
		int read = super.doReadMessages(buf);
		for (int i = before; i < buf.size(); i++) {
			if (buf.get(i) instanceof Channel child) {
				this.openConnections.incrementAndGet();
				child.closeFuture().addListener((future) -> this.openConnections.decrementAndGet());
			}
		}
		return read;
	}

	@Override
	protected void doClose() throws Exception {
		// The JDK points fds 0, 1 and 2 at /dev/null when it closes an inherited channel
		StandardStreams streams = StandardStreams.save();
		try {
			super.doClose();
		}
		finally {
			streams.restore();
		}
	}

}
