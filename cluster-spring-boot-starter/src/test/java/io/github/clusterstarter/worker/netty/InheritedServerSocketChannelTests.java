package io.github.clusterstarter.worker.netty;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link InheritedServerSocketChannel} on a socket bound and listening before the channel
 * exists, as the master's socket is.
 */
class InheritedServerSocketChannelTests {

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private ServerSocketChannel socket;

	@AfterEach
	void close() throws IOException {
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
		if (this.socket != null) {
			this.socket.close();
		}
	}

	@Test
	void acceptsOnlyOnceTheGateOpensAndCountsOpenConnectionsUntilItStops() throws Exception {
		this.socket = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		InheritedServerSocketChannel channel = new InheritedServerSocketChannel(this.socket);
		channel.pipeline().addLast(new KeepAccepted());
		this.group.register(channel).syncUninterruptibly();
		channel.bind(this.socket.getLocalAddress()).syncUninterruptibly();
		assertThat(channel.isActive()).isTrue();
		try (Socket first = connect()) {
			Thread.sleep(200);
			assertThat(channel.openConnections()).as("accepted before the gate opened").isZero();
			channel.openGate();
			await().atMost(Duration.ofSeconds(5)).until(() -> channel.openConnections() == 1);
			try (Socket second = connect()) {
				await().atMost(Duration.ofSeconds(5)).until(() -> channel.openConnections() == 2);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> channel.openConnections() == 1);
			channel.stopAccepting();
			try (Socket third = connect()) {
				Thread.sleep(200);
				assertThat(channel.openConnections()).as("accepted after it stopped accepting").isOne();
			}
		}
		channel.close().syncUninterruptibly();
		assertThat(this.socket.isOpen()).isFalse();
	}

	private Socket connect() throws IOException {
		return new Socket(InetAddress.getLoopbackAddress(), this.socket.socket().getLocalPort());
	}

	/**
	 * Takes the accepted channels and keeps them, as Reactor Netty's acceptor registers
	 * them with a child event loop.
	 */
	private final class KeepAccepted extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext context, Object child) {
			InheritedServerSocketChannelTests.this.group.register((Channel) child);
		}

	}

}
