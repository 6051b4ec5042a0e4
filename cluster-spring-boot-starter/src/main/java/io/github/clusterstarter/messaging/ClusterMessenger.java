package io.github.clusterstarter.messaging;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.clusterstarter.control.Message;
import io.github.clusterstarter.worker.ClusterCommandException;
import io.github.clusterstarter.worker.MasterUnavailableException;
import io.github.clusterstarter.worker.WorkerAgent;
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
 * {@link JsonMapper}. In an application that does not run as a cluster, a broadcast is
 * published to this process only.
 */
public class ClusterMessenger implements DisposableBean {

	private static final Log logger = LogFactory.getLog(ClusterMessenger.class);

	private static final Duration MASTER_TIMEOUT = Duration.ofSeconds(5);

	private final @Nullable WorkerAgent agent;

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
	 * @param agent the worker agent, or {@code null} if the application is not clustered
	 * @param jsonMapper the mapper for payloads
	 * @param publisher where received payloads are published
	 * @param classLoader the class loader of payload types
	 */
	public ClusterMessenger(@Nullable WorkerAgent agent, JsonMapper jsonMapper, ApplicationEventPublisher publisher,
			@Nullable ClassLoader classLoader) {
		this.agent = agent;
		this.jsonMapper = jsonMapper;
		this.publisher = publisher;
		this.classLoader = classLoader;
		if (agent != null) {
			// Received on the control connection's thread; delivered on our own, in order
			agent.setMessageHandler((message) -> this.delivery.execute(() -> receive(message)));
		}
	}

	/**
	 * Send a payload to every ready worker, this one included.
	 * @param payload the payload
	 * @return the number of workers it was delivered to
	 * @throws ClusterMessagingException if the payload cannot be written as JSON or the
	 * master cannot be reached
	 */
	public int broadcast(Object payload) {
		return publish(null, payload);
	}

	/**
	 * Send a payload to one worker.
	 * @param workerId the id of the worker
	 * @param payload the payload
	 * @throws ClusterMessagingException if there is no such worker, the payload cannot
	 * be written as JSON or the master cannot be reached
	 */
	public void send(int workerId, Object payload) {
		if (publish(workerId, payload) == 0) {
			throw new ClusterMessagingException("Worker " + workerId + " is not ready to receive messages");
		}
	}

	private int publish(@Nullable Integer to, Object payload) {
		String json;
		try {
			json = this.jsonMapper.writeValueAsString(payload);
		}
		catch (JacksonException ex) {
			throw new ClusterMessagingException("Cannot send a %s: it cannot be written as JSON: %s"
				.formatted(payload.getClass().getName(), ex.getOriginalMessage()), ex);
		}
		WorkerAgent agent = this.agent;
		if (agent == null) {
			if (to != null) {
				throw new ClusterMessagingException(
						"Cannot send to worker " + to + ": this application does not run as a cluster");
			}
			this.publisher.publishEvent(payload);
			return 1;
		}
		try {
			return agent.publish(to, payload.getClass().getName(), json, MASTER_TIMEOUT);
		}
		catch (ClusterCommandException | MasterUnavailableException ex) {
			throw new ClusterMessagingException(ex.getMessage(), ex);
		}
	}

	private void receive(Message message) {
		String type = message.getString("payloadType");
		try {
			Class<?> payloadType = ClassUtils.forName(type, this.classLoader);
			this.publisher.publishEvent(this.jsonMapper.readValue(message.getString("payload"), payloadType));
		}
		catch (ClassNotFoundException | JacksonException ex) {
			logger.error("Cannot read a %s sent by worker %s".formatted(type, message.get("from")), ex);
		}
		catch (RuntimeException ex) {
			logger.error("A listener failed on a %s sent by worker %s".formatted(type, message.get("from")), ex);
		}
	}

	@Override
	public void destroy() {
		this.delivery.shutdown();
	}

}
