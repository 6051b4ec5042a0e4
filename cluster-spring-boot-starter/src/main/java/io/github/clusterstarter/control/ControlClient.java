package io.github.clusterstarter.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A worker's end of the control channel. The connection stays open for the worker's
 * life; only its end tells the worker that the master is gone: a request that fails or
 * a message the master cannot read fails that call alone.
 */
public final class ControlClient implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ControlClient.class);

	private final FrameChannel channel;

	private final Consumer<Frame<ControlMessage.MasterMessage>> onMessage;

	private final Runnable onDisconnected;

	private final CompletableFuture<ControlMessage.Welcome> welcome = new CompletableFuture<>();

	private final Map<Long, CompletableFuture<ControlMessage.MasterMessage>> pending = new ConcurrentHashMap<>();

	private final AtomicLong requestIds = new AtomicLong();

	private final AtomicBoolean disconnected = new AtomicBoolean();

	private ControlClient(FrameChannel channel, Consumer<Frame<ControlMessage.MasterMessage>> onMessage,
			Runnable onDisconnected) {
		this.channel = channel;
		this.onMessage = onMessage;
		this.onDisconnected = onDisconnected;
	}

	/**
	 * Connect to the master, present the secret and wait until it welcomes this worker.
	 * @param identity the identity the master gave this worker
	 * @param pid the pid of this process
	 * @param welcomeTimeout how long to wait for the master's welcome
	 * @param onMessage receives messages that are not answers to requests, on the
	 * connection's reader thread
	 * @param onDisconnected runs once when the connection ends
	 * @return the connected client
	 * @throws IOException if the master cannot be reached or refuses this worker
	 */
	public static ControlClient connect(WorkerIdentity identity, long pid, Duration welcomeTimeout,
			Consumer<Frame<ControlMessage.MasterMessage>> onMessage, Runnable onDisconnected) throws IOException {
		SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
		try {
			socket.connect(UnixDomainSocketAddress.of(identity.controlSocket()));
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
		ControlClient client = new ControlClient(new FrameChannel(socket), onMessage, onDisconnected);
		Thread reader = new Thread(client::read, "cluster-control-client");
		reader.setDaemon(true);
		reader.start();
		client.channel.write(0, 0, new ControlMessage.Hello(ControlProtocol.VERSION, ControlProtocol.MIN_VERSION,
				identity.secret().value(), identity.workerId(), pid), Frame.NO_BODY);
		client.awaitWelcome(welcomeTimeout);
		return client;
	}

	private void awaitWelcome(Duration timeout) throws IOException {
		try {
			this.welcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			close();
			throw new IOException(ex.getCause().getMessage(), ex.getCause());
		}
		catch (TimeoutException ex) {
			close();
			throw new IOException(("The cluster master did not answer this worker's hello within %d ms; it may run "
					+ "an older version of cluster-spring-boot-starter than this worker: restart the whole cluster")
				.formatted(timeout.toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			close();
			throw new IOException("Interrupted while waiting for the cluster master", ex);
		}
	}

	private void read() {
		try {
			while (true) {
				Frame<ControlMessage> frame;
				try {
					frame = this.channel.read();
				}
				catch (MalformedMessageException ex) {
					logger.warn("Ignoring a control message of the master that this worker cannot read: "
							+ ex.getMessage());
					continue;
				}
				if (frame == null) {
					return;
				}
				dispatch(frame);
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Control connection to the master ended", ex);
		}
		finally {
			disconnect();
		}
	}

	private void dispatch(Frame<ControlMessage> frame) {
		if (!(frame.message() instanceof ControlMessage.MasterMessage message)) {
			logger.warn("Ignoring a '%s' message from the master: it is a worker's message"
				.formatted(ControlMessage.typeName(frame.message())));
			return;
		}
		if (message instanceof ControlMessage.Welcome welcome) {
			this.welcome.complete(welcome);
		}
		else if (message instanceof ControlMessage.Refused refused) {
			this.welcome.completeExceptionally(new IOException("The cluster master refused this worker: "
					+ refused.reason()));
		}
		else if (frame.replyTo() != 0) {
			CompletableFuture<ControlMessage.MasterMessage> request = this.pending.remove(frame.replyTo());
			if (request != null) {
				request.complete(message);
			}
		}
		else {
			this.onMessage.accept(new Frame<>(frame.requestId(), 0, message, frame.body()));
		}
	}

	private void disconnect() {
		if (this.disconnected.compareAndSet(false, true)) {
			this.channel.close();
			IOException closed = new IOException("The connection to the cluster master is closed");
			this.welcome.completeExceptionally(new IOException("The cluster master closed the control connection "
					+ "without answering this worker's hello: it is shutting down, or it runs an older version of "
					+ "cluster-spring-boot-starter than this worker (restart the whole cluster)"));
			this.pending.values().forEach((request) -> request.completeExceptionally(closed));
			this.pending.clear();
			this.onDisconnected.run();
		}
	}

	/**
	 * Send a message that expects no answer.
	 * @param message the message
	 * @param body its body
	 * @throws IOException if it cannot be sent
	 * @throws IllegalArgumentException if the body is larger than the protocol allows
	 */
	public void send(ControlMessage.WorkerMessage message, byte[] body) throws IOException {
		this.channel.write(0, 0, message, body);
	}

	/**
	 * Send a message without a body that expects no answer.
	 * @param message the message
	 * @throws IOException if it cannot be sent
	 */
	public void send(ControlMessage.WorkerMessage message) throws IOException {
		send(message, Frame.NO_BODY);
	}

	/**
	 * Send a request and return its answer.
	 * @param <A> the type of the answer
	 * @param message the request
	 * @param body its body
	 * @param answerType the type of the answer
	 * @param timeout how long to wait for the answer
	 * @return the answer; fails with a {@link TimeoutException}, a
	 * {@link ControlRequestException} when the master refused, or an {@link IOException}
	 * @throws IllegalArgumentException if the body is larger than the protocol allows
	 */
	public <A extends ControlMessage.MasterMessage> CompletableFuture<A> request(ControlMessage.WorkerMessage message,
			byte[] body, Class<A> answerType, Duration timeout) {
		long id = this.requestIds.incrementAndGet();
		CompletableFuture<ControlMessage.MasterMessage> answer = new CompletableFuture<>();
		this.pending.put(id, answer);
		if (this.disconnected.get()) {
			this.pending.remove(id);
			return CompletableFuture.failedFuture(new IOException("The connection to the cluster master is closed"));
		}
		try {
			this.channel.write(id, 0, message, body);
		}
		catch (IOException ex) {
			this.pending.remove(id);
			return CompletableFuture.failedFuture(ex);
		}
		catch (RuntimeException ex) {
			this.pending.remove(id);
			throw ex;
		}
		return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((result, failure) -> this.pending.remove(id))
			.thenApply((result) -> expect(result, answerType));
	}

	private static <A> A expect(ControlMessage.MasterMessage answer, Class<A> answerType) {
		if (answer instanceof ControlMessage.Failure failure) {
			throw new ControlRequestException(failure.code(), failure.reason());
		}
		if (!answerType.isInstance(answer)) {
			throw new ControlRequestException(ErrorCode.BAD_MESSAGE, "The cluster master answered with a '%s' message"
				.formatted(ControlMessage.typeName(answer)));
		}
		return answerType.cast(answer);
	}

	/**
	 * Close the connection. Idempotent.
	 */
	@Override
	public void close() {
		this.channel.close();
	}

}
