package io.github.clusterstarter.messaging;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.ControlProtocol;
import io.github.clusterstarter.control.Frame;
import io.github.clusterstarter.worker.ClusterCommandException;
import io.github.clusterstarter.worker.MasterConnection;
import io.github.clusterstarter.worker.MasterUnavailableException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.ClassUtils;

/**
 * Sends objects to other workers of the cluster, where they arrive as application events:
 * a receiving worker handles them with {@code @EventListener} methods that take the
 * payload's type. Payloads travel as JSON, written and read with the application's
 * {@link JsonMapper}, up to {@link ControlProtocol#MAX_BODY_BYTES} each. In an application
 * that does not run as a cluster, a broadcast is published to this process only.
 */
public class ClusterMessenger implements DisposableBean {

	private static final Log logger = LogFactory.getLog(ClusterMessenger.class);

	private static final Duration MASTER_TIMEOUT = Duration.ofSeconds(5);

	private final @Nullable MasterConnection connection;

	private final JsonMapper jsonMapper;

	private final ApplicationEventPublisher publisher;

	private final @Nullable ClassLoader classLoader;

	private final ExecutorService delivery = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "cluster-messages");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Create a new messenger.
	 * @param connection the connection to the master, or {@code null} if the application
	 * is not clustered
	 * @param jsonMapper the mapper for payloads
	 * @param publisher where received payloads are published
	 * @param classLoader the class loader of payload types
	 */
	public ClusterMessenger(@Nullable MasterConnection connection, JsonMapper jsonMapper,
			ApplicationEventPublisher publisher, @Nullable ClassLoader classLoader) {
		this.connection = connection;
		this.jsonMapper = jsonMapper;
		this.publisher = publisher;
		this.classLoader = classLoader;
		if (connection != null) {
			// Received on the control connection's thread; delivered on our own, in order
			connection.onMessage(ControlMessage.Delivery.class,
					(frame) -> this.delivery.execute(() -> receive(frame)));
		}
	}

	/**
	 * Send a payload to every ready worker, this one included.
	 * @param payload the payload
	 * @return the number of workers it was delivered to
	 * @throws ClusterMessagingException if the payload cannot be written as JSON, is too
	 * large, or the master cannot be reached
	 */
	public int broadcast(Object payload) {
		return publish(null, payload);
	}

	/**
	 * Send a payload to one worker.
	 * @param workerId the id of the worker
	 * @param payload the payload
	 * @throws ClusterMessagingException if there is no such worker, the payload cannot
	 * be written as JSON, is too large, or the master cannot be reached
	 */
	public void send(int workerId, Object payload) {
		if (publish(workerId, payload) == 0) {
			throw new ClusterMessagingException("Worker " + workerId + " is not ready to receive messages");
		}
	}

	private int publish(@Nullable Integer to, Object payload) {
		byte[] json;
		try {
			json = this.jsonMapper.writeValueAsBytes(payload);
		}
		catch (JacksonException ex) {
			throw new ClusterMessagingException("Cannot send a %s: it cannot be written as JSON: %s"
				.formatted(payload.getClass().getName(), ex.getOriginalMessage()), ex);
		}
		MasterConnection connection = this.connection;
		if (connection == null) {
			if (to != null) {
				throw new ClusterMessagingException(
						"Cannot send to worker " + to + ": this application does not run as a cluster");
			}
			this.publisher.publishEvent(payload);
			return 1;
		}
		if (json.length > ControlProtocol.MAX_BODY_BYTES) {
			throw new ClusterMessagingException("Cannot send a %s of %d bytes as JSON: messages between workers are "
				.formatted(payload.getClass().getName(), json.length) + "limited to %d bytes"
				.formatted(ControlProtocol.MAX_BODY_BYTES));
		}
		try {
			return connection.request(new ControlMessage.Publish(to, payload.getClass().getName()), json,
					ControlMessage.Delivered.class, MASTER_TIMEOUT).delivered();
		}
		catch (ClusterCommandException | MasterUnavailableException ex) {
			throw new ClusterMessagingException(ex.getMessage(), ex);
		}
	}

	private void receive(Frame<ControlMessage.Delivery> frame) {
		ControlMessage.Delivery delivery = frame.message();
		String type = delivery.payloadType();
		try {
			Class<?> payloadType = ClassUtils.forName(type, this.classLoader);
			this.publisher.publishEvent(this.jsonMapper.readValue(frame.body(), payloadType));
		}
		catch (ClassNotFoundException | JacksonException ex) {
			logger.error("Cannot read a %s sent by worker %d".formatted(type, delivery.from()), ex);
		}
		catch (RuntimeException ex) {
			logger.error("A listener failed on a %s sent by worker %d".formatted(type, delivery.from()), ex);
		}
	}

	@Override
	public void destroy() {
		this.delivery.shutdown();
	}

}
