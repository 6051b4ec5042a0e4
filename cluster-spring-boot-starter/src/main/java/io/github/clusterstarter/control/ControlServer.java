package io.github.clusterstarter.control;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The master's end of the control channel: a Unix domain socket that accepts connections
 * from workers that present the cluster secret and a protocol version the master speaks.
 * Each connection is read on its own thread; well-formed messages go to a
 * {@link Listener}. Nothing a client sends can make it throw: a bad frame is skipped,
 * answered with an error when it was a request, and logged; the connection stays open.
 */
public final class ControlServer implements AutoCloseable {

	/**
	 * Most connections that may wait for their hello at the same time.
	 */
	static final int MAX_UNAUTHENTICATED = 16;

	private static final Log logger = LogFactory.getLog(ControlServer.class);

	private final ControlDirectory directory;

	private final ClusterSecret secret;

	private final Listener listener;

	private final Duration helloTimeout;

	private final Set<FrameChannel> channels = ConcurrentHashMap.newKeySet();

	private final Semaphore unauthenticated = new Semaphore(MAX_UNAUTHENTICATED);

	private final ThrottledLog refusedLog = new ThrottledLog(logger, "Control socket");

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
	 * @throws UncheckedIOException if the socket cannot be bound
	 */
	public void start() {
		ServerSocketChannel server;
		try {
			server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
			server.bind(UnixDomainSocketAddress.of(this.directory.socketPath()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open the cluster's control socket", ex);
		}
		this.server = server;
		Thread acceptor = new Thread(() -> accept(server), "cluster-control-acceptor");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	private void accept(ServerSocketChannel server) {
		while (!this.closed) {
			try {
				SocketChannel channel = server.accept();
				if (!this.unauthenticated.tryAcquire()) {
					this.refusedLog.warn("closed a connection: %d others are still to send their hello"
						.formatted(MAX_UNAUTHENTICATED));
					channel.close();
					continue;
				}
				Thread reader = new Thread(() -> serve(new FrameChannel(channel)),
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

	private void serve(FrameChannel channel) {
		this.channels.add(channel);
		SocketControlConnection connection = null;
		try {
			try {
				connection = authenticate(channel);
			}
			finally {
				this.unauthenticated.release();
			}
			if (connection != null) {
				this.listener.onConnected(connection);
				readMessages(channel, connection);
			}
		}
		catch (IOException ex) {
			if (!this.closed) {
				logger.debug("Control connection of %s failed".formatted(describe(connection)), ex);
			}
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

	private void readMessages(FrameChannel channel, SocketControlConnection connection) throws IOException {
		ThrottledLog badMessages = new ThrottledLog(logger, "Bad control message from " + connection);
		while (true) {
			Frame<ControlMessage> frame;
			try {
				frame = channel.read();
			}
			catch (MalformedMessageException ex) {
				badMessages.warn(ex.getMessage());
				if (ex.getRequestId() != 0) {
					connection.answer(ex.getRequestId(), new ControlMessage.Failure(ErrorCode.BAD_MESSAGE, ex.getMessage()));
				}
				continue;
			}
			if (frame == null) {
				return;
			}
			if (frame.message() instanceof ControlMessage.WorkerMessage message) {
				this.listener.onMessage(connection,
						new Frame<>(frame.requestId(), frame.replyTo(), message, frame.body()));
			}
			else {
				String problem = "'%s' is a message of the master, not of a worker"
					.formatted(ControlMessage.typeName(frame.message()));
				badMessages.warn(problem);
				if (frame.isRequest()) {
					connection.replyError(frame, ErrorCode.BAD_MESSAGE, problem);
				}
			}
		}
	}

	private @Nullable SocketControlConnection authenticate(FrameChannel channel) throws IOException {
		AtomicBoolean timedOut = new AtomicBoolean();
		ScheduledFuture<?> timeout = this.timer.schedule(() -> {
			timedOut.set(true);
			channel.close();
		}, this.helloTimeout.toMillis(), TimeUnit.MILLISECONDS);
		Frame<ControlMessage> first;
		try {
			first = channel.read();
		}
		catch (MalformedMessageException ex) {
			this.refusedLog.warn("closed a connection whose first message was not a hello: " + ex.getMessage());
			return null;
		}
		catch (IOException ex) {
			if (timedOut.get()) {
				this.refusedLog.warn("closed a connection that sent no hello within %d ms"
					.formatted(this.helloTimeout.toMillis()));
				return null;
			}
			throw ex;
		}
		finally {
			timeout.cancel(false);
		}
		if (first == null) {
			return null;
		}
		if (!(first.message() instanceof ControlMessage.Hello hello)) {
			this.refusedLog.warn("closed a connection whose first message was '%s', not a hello"
				.formatted(ControlMessage.typeName(first.message())));
			return null;
		}
		if (!this.secret.matches(hello.secret())) {
			this.refusedLog.warn("rejected a connection with a wrong secret (claiming worker %d, pid %d)"
				.formatted(hello.worker(), hello.pid()));
			return null;
		}
		int version = ControlProtocol.negotiate(hello.protocolVersion(), hello.minProtocolVersion());
		if (version < 0) {
			String reason = ControlProtocol.mismatch(hello.protocolVersion(), hello.minProtocolVersion());
			this.refusedLog.warn("refused worker %d (pid %d): %s".formatted(hello.worker(), hello.pid(), reason));
			channel.write(0, 0, new ControlMessage.Refused(reason), Frame.NO_BODY);
			return null;
		}
		return new SocketControlConnection(channel, hello, version);
	}

	private static String describe(@Nullable ControlConnection connection) {
		return (connection != null) ? connection.toString() : "an unauthenticated client";
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
		this.channels.forEach(FrameChannel::close);
	}

	/**
	 * Told about connections and messages, on the connection's reader thread.
	 */
	public interface Listener {

		/**
		 * A worker connected, presented the secret and speaks a protocol version the
		 * master speaks. The listener must {@link ControlConnection#welcome() welcome} or
		 * {@link ControlConnection#refuse(String) refuse} it.
		 * @param connection the connection
		 */
		void onConnected(ControlConnection connection);

		/**
		 * A well-formed message arrived.
		 * @param connection the connection it arrived on
		 * @param frame the message
		 */
		void onMessage(ControlConnection connection, Frame<ControlMessage.WorkerMessage> frame);

		/**
		 * An authenticated connection closed.
		 * @param connection the connection
		 */
		void onDisconnected(ControlConnection connection);

	}

}
