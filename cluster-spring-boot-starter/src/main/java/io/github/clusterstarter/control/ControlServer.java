package io.github.clusterstarter.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The master's end of the control channel: a Unix domain socket that accepts connections
 * from workers that present the cluster secret. Each connection is read on its own
 * thread; what arrives goes to a {@link Listener}. Nothing a client sends can make it
 * throw: bad input closes that client's connection and is logged.
 */
public final class ControlServer implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ControlServer.class);

	private final ControlDirectory directory;

	private final ClusterSecret secret;

	private final Listener listener;

	private final Duration helloTimeout;

	private final Set<LineChannel> channels = ConcurrentHashMap.newKeySet();

	private final AtomicInteger readers = new AtomicInteger();

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "cluster-control-timer");
		thread.setDaemon(true);
		return thread;
	});

	private @Nullable ServerSocketChannel server;

	private volatile boolean closed;

	/**
	 * Create a new server.
	 * @param directory the directory of the socket
	 * @param secret the secret that clients must present
	 * @param listener what to tell about connections and messages
	 */
	public ControlServer(ControlDirectory directory, ClusterSecret secret, Listener listener) {
		this(directory, secret, listener, Duration.ofSeconds(10));
	}

	ControlServer(ControlDirectory directory, ClusterSecret secret, Listener listener, Duration helloTimeout) {
		this.directory = directory;
		this.secret = secret;
		this.listener = listener;
		this.helloTimeout = helloTimeout;
	}

	/**
	 * Bind the socket and start accepting.
	 * @throws IOException if the socket cannot be bound
	 */
	public void start() throws IOException {
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		server.bind(UnixDomainSocketAddress.of(this.directory.socketPath()));
		this.server = server;
		Thread acceptor = new Thread(() -> accept(server), "cluster-control-acceptor");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	private void accept(ServerSocketChannel server) {
		while (!this.closed) {
			try {
				SocketChannel channel = server.accept();
				Thread reader = new Thread(() -> serve(new LineChannel(channel)),
						"cluster-control-reader-" + this.readers.incrementAndGet());
				reader.setDaemon(true);
				reader.start();
			}
			catch (IOException ex) {
				if (!this.closed) {
					logger.warn("Control socket failed to accept a connection", ex);
				}
			}
		}
	}

	private void serve(LineChannel channel) {
		this.channels.add(channel);
		ControlConnection connection = null;
		try {
			connection = authenticate(channel);
			if (connection == null) {
				return;
			}
			this.listener.onConnected(connection);
			Message message;
			while ((message = channel.read()) != null) {
				this.listener.onMessage(connection, message);
			}
		}
		catch (MalformedMessageException ex) {
			logger.warn("Closing the control connection of %s: %s".formatted(describe(connection), ex.getMessage()));
		}
		catch (IOException ex) {
			if (!this.closed) {
				logger.debug("Control connection of %s failed".formatted(describe(connection)), ex);
			}
		}
		catch (RuntimeException ex) {
			logger.error("Closing the control connection of %s after an error".formatted(describe(connection)), ex);
		}
		finally {
			channel.close();
			this.channels.remove(channel);
			if (connection != null) {
				connection.close();
				this.listener.onDisconnected(connection);
			}
		}
	}

	private @Nullable ControlConnection authenticate(LineChannel channel) throws IOException {
		ScheduledFuture<?> timeout = this.timer.schedule(channel::close, this.helloTimeout.toMillis(),
				TimeUnit.MILLISECONDS);
		Message hello;
		try {
			hello = channel.read();
		}
		catch (IOException ex) {
			if (!channel.isOpen() && timeout.isDone()) {
				logger.warn("Closed a control connection that sent no hello within %d ms"
					.formatted(this.helloTimeout.toMillis()));
				return null;
			}
			throw ex;
		}
		finally {
			timeout.cancel(false);
		}
		if (hello == null) {
			return null;
		}
		if (!"hello".equals(hello.type())) {
			throw new MalformedMessageException("expected a hello, got '" + hello.type() + "'");
		}
		if (!this.secret.matches((hello.get("secret") instanceof String value) ? value : null)) {
			logger.warn("Rejected a control connection with a wrong secret (claiming worker %s, pid %s)"
				.formatted(hello.get("worker"), hello.get("pid")));
			return null;
		}
		return new ControlConnection(channel, hello.getInt("worker"), hello.getLong("pid"));
	}

	private static String describe(@Nullable ControlConnection connection) {
		return (connection != null) ? "worker " + connection.workerId() + " (pid " + connection.pid() + ")"
				: "an unauthenticated client";
	}

	@Override
	public void close() {
		this.closed = true;
		this.timer.shutdownNow();
		ServerSocketChannel server = this.server;
		if (server != null) {
			try {
				server.close();
			}
			catch (IOException ex) {
				// Closing anyway
			}
		}
		this.channels.forEach(LineChannel::close);
	}

	/**
	 * Told about connections and messages, on the connection's reader thread.
	 */
	public interface Listener {

		/**
		 * A worker connected and presented the secret.
		 * @param connection the connection
		 */
		void onConnected(ControlConnection connection);

		/**
		 * A message arrived.
		 * @param connection the connection it arrived on
		 * @param message the message
		 */
		void onMessage(ControlConnection connection, Message message);

		/**
		 * An authenticated connection closed.
		 * @param connection the connection
		 */
		void onDisconnected(ControlConnection connection);

	}

}
