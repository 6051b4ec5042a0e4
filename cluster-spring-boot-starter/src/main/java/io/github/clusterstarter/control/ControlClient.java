package io.github.clusterstarter.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A worker's end of the control channel. The connection stays open for the worker's
 * life; its end tells the worker that the master is gone.
 */
public final class ControlClient implements AutoCloseable {

	static final String REQUEST_ID = "requestId";

	private static final Log logger = LogFactory.getLog(ControlClient.class);

	private final LineChannel channel;

	private final Consumer<Message> onMessage;

	private final Runnable onDisconnected;

	private final Map<Long, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();

	private final AtomicLong requestIds = new AtomicLong();

	private final AtomicBoolean disconnected = new AtomicBoolean();

	private ControlClient(LineChannel channel, Consumer<Message> onMessage, Runnable onDisconnected) {
		this.channel = channel;
		this.onMessage = onMessage;
		this.onDisconnected = onDisconnected;
	}

	/**
	 * Connect to the master and present the secret.
	 * @param socketPath the control socket
	 * @param secret the cluster secret
	 * @param workerId the id of this worker
	 * @param pid the pid of this process
	 * @param onMessage receives messages that are not answers to requests
	 * @param onDisconnected runs once when the connection ends
	 * @return the connected client
	 * @throws IOException if the master cannot be reached
	 */
	public static ControlClient connect(Path socketPath, ClusterSecret secret, int workerId, long pid,
			Consumer<Message> onMessage, Runnable onDisconnected) throws IOException {
		SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
		try {
			socket.connect(UnixDomainSocketAddress.of(socketPath));
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
		LineChannel channel = new LineChannel(socket);
		channel.write(Message.of("hello", "secret", secret.value(), "worker", workerId, "pid", pid));
		ControlClient client = new ControlClient(channel, onMessage, onDisconnected);
		Thread reader = new Thread(client::read, "cluster-control-client");
		reader.setDaemon(true);
		reader.start();
		return client;
	}

	private void read() {
		try {
			Message message;
			while ((message = this.channel.read()) != null) {
				dispatch(message);
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Control connection to the master ended", ex);
		}
		finally {
			disconnect();
		}
	}

	private void dispatch(Message message) {
		boolean answer = "response".equals(message.type()) || "error".equals(message.type());
		if (answer && message.get(REQUEST_ID) instanceof Number id) {
			CompletableFuture<Message> request = this.pending.remove(id.longValue());
			if (request != null) {
				if ("error".equals(message.type())) {
					request.completeExceptionally(new ControlRequestException(String.valueOf(message.get("code")),
							String.valueOf(message.get("reason"))));
				}
				else {
					request.complete(message);
				}
			}
			return;
		}
		this.onMessage.accept(message);
	}

	private void disconnect() {
		if (this.disconnected.compareAndSet(false, true)) {
			this.channel.close();
			IOException closed = new IOException("The connection to the master is closed");
			this.pending.values().forEach((request) -> request.completeExceptionally(closed));
			this.pending.clear();
			this.onDisconnected.run();
		}
	}

	/**
	 * Send a message.
	 * @param message the message
	 * @throws UncheckedIOException if it cannot be sent
	 */
	public void send(Message message) {
		try {
			this.channel.write(message);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Send a request and return its answer.
	 * @param message the request
	 * @param timeout how long to wait for the answer
	 * @return the answer; fails with a {@link java.util.concurrent.TimeoutException}, a
	 * {@link ControlRequestException} or an {@link IOException}
	 */
	public CompletableFuture<Message> request(Message message, Duration timeout) {
		long id = this.requestIds.incrementAndGet();
		CompletableFuture<Message> answer = new CompletableFuture<>();
		this.pending.put(id, answer);
		if (this.disconnected.get()) {
			this.pending.remove(id);
			answer.completeExceptionally(new IOException("The connection to the master is closed"));
			return answer;
		}
		try {
			this.channel.write(message.with(REQUEST_ID, id));
		}
		catch (IOException ex) {
			this.pending.remove(id);
			answer.completeExceptionally(ex);
			return answer;
		}
		return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((result, failure) -> this.pending.remove(id));
	}

	/**
	 * Close the connection. Idempotent.
	 */
	@Override
	public void close() {
		this.channel.close();
	}

}
