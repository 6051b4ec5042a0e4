package io.github.clusterstarter.worker;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.github.clusterstarter.control.ControlClient;
import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.ControlRequestException;
import io.github.clusterstarter.control.Frame;
import io.github.clusterstarter.control.WorkerIdentity;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A worker's connection to its master, open from the moment the worker starts: typed
 * requests, messages to the master, and handlers for what the master sends. A worker must
 * never outlive its master, so the end of the connection shuts the worker down; a request
 * that fails fails alone.
 */
public final class MasterConnection implements AutoCloseable {

	/**
	 * Name of the connection's singleton in the worker's application context.
	 */
	public static final String BEAN_NAME = "clusterMasterConnection";

	private static final Log logger = LogFactory.getLog(MasterConnection.class);

	/**
	 * How long a booting worker waits for the master to welcome it: long enough for a
	 * master whose CPUs are saturated by serving workers and booting ones.
	 */
	private static final Duration WELCOME_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * How long a worker whose master is gone may take to exit.
	 */
	static final Duration ORPHAN_EXIT_DEADLINE = Duration.ofSeconds(6);

	private final WorkerIdentity identity;

	private volatile int workerId;

	private final long pid = ProcessHandle.current().pid();

	private final Map<Class<?>, Consumer<Frame<?>>> handlers = new ConcurrentHashMap<>();

	/**
	 * The last message of each type that arrived before anything handled it: the
	 * primary worker is announced as soon as a worker connects, long before its context
	 * has the beans that care.
	 */
	private final Map<Class<?>, Frame<?>> unhandled = new ConcurrentHashMap<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile ControlClient client;

	private MasterConnection(WorkerIdentity identity) {
		this.identity = identity;
		this.workerId = identity.workerId();
	}

	/**
	 * Connect to the master.
	 * @param identity the worker's identity
	 * @return the connection
	 * @throws IllegalStateException if the master cannot be reached or refuses this
	 * worker
	 */
	public static MasterConnection connect(WorkerIdentity identity) {
		MasterConnection connection = new MasterConnection(identity);
		try {
			connection.client = ControlClient.connect(identity, connection.pid, WELCOME_TIMEOUT, connection::dispatch,
					connection::onMasterGone);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Worker %d cannot connect to the cluster master (pid %d) at %s: %s"
				.formatted(identity.workerId(), identity.masterPid(), identity.controlSocket(), ex.getMessage()), ex);
		}
		return connection;
	}

	/**
	 * Return the id of this worker.
	 * @return the worker id, or {@link WorkerIdentity#STANDBY_ID} while this process is a
	 * standby
	 */
	public int workerId() {
		return this.workerId;
	}

	/**
	 * Return whether this process is a standby that has not taken over a worker id yet.
	 * @return whether it is a standby
	 */
	public boolean isStandby() {
		return this.workerId == WorkerIdentity.STANDBY_ID;
	}

	/**
	 * Take over a worker id: this standby process is that worker from now on.
	 * @param workerId the worker id
	 */
	public void takeOver(int workerId) {
		this.workerId = workerId;
	}

	/**
	 * Return the directory of the sessions the workers share.
	 * @return the directory, or {@code null} if they do not share sessions
	 */
	public @Nullable Path sessionsDirectory() {
		return this.identity.sessionsDirectory();
	}

	/**
	 * Return the pid of this process.
	 * @return the pid
	 */
	public long pid() {
		return this.pid;
	}

	/**
	 * Handle every message of a type the master sends from now on, and the last one that
	 * arrived before, on the connection's reader thread.
	 * @param <M> the type of the message
	 * @param type the type of the message
	 * @param handler the handler of the message and its body
	 */
	@SuppressWarnings("unchecked")
	public <M extends ControlMessage.MasterMessage> void onMessage(Class<M> type, Consumer<Frame<M>> handler) {
		Consumer<Frame<?>> untyped = (frame) -> handler.accept((Frame<M>) frame);
		this.handlers.put(type, untyped);
		Frame<?> missed = this.unhandled.remove(type);
		if (missed != null) {
			untyped.accept(missed);
		}
	}

	private void dispatch(Frame<ControlMessage.MasterMessage> frame) {
		Consumer<Frame<?>> handler = this.handlers.get(frame.message().getClass());
		if (handler == null) {
			this.unhandled.put(frame.message().getClass(), frame);
			return;
		}
		try {
			handler.accept(frame);
		}
		catch (RuntimeException ex) {
			logger.error("Failed to handle a '%s' message of the cluster master"
				.formatted(ControlMessage.typeName(frame.message())), ex);
		}
	}

	/**
	 * Send a message to the master. A failure is logged: the connection's end, not a
	 * failed send, tells that the master is gone.
	 * @param message the message
	 */
	public void send(ControlMessage.WorkerMessage message) {
		send(message, Frame.NO_BODY);
	}

	/**
	 * Send a message with a body to the master. A failure is logged.
	 * @param message the message
	 * @param body the body
	 */
	public void send(ControlMessage.WorkerMessage message, byte[] body) {
		try {
			this.client.send(message, body);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not send a '%s' message to the cluster master"
				.formatted(ControlMessage.typeName(message)), ex);
		}
	}

	/**
	 * Send a request to the master and wait for its answer.
	 * @param <A> the type of the answer
	 * @param message the request
	 * @param body its body
	 * @param answerType the type of the answer
	 * @param timeout how long to wait
	 * @return the answer
	 * @throws ClusterCommandException if the master refuses
	 * @throws MasterUnavailableException if the master does not answer in time
	 */
	public <A extends ControlMessage.MasterMessage> A request(ControlMessage.WorkerMessage message, byte[] body,
			Class<A> answerType, Duration timeout) {
		try {
			return this.client.request(message, body, answerType, timeout).join();
		}
		catch (CompletionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof ControlRequestException refused) {
				throw new ClusterCommandException(refused.getCode(), refused.getMessage());
			}
			if (cause instanceof TimeoutException) {
				throw new MasterUnavailableException(
						"The cluster master did not answer within " + timeout.toMillis() + " ms", cause);
			}
			throw new MasterUnavailableException("The cluster master could not answer: " + cause.getMessage(), cause);
		}
	}

	/**
	 * The graceful shutdown finishes the worker's in-flight requests first, but an
	 * orphaned worker must not linger on the port for as long as a shutdown hook that
	 * never returns: after {@link #ORPHAN_EXIT_DEADLINE} it halts.
	 */
	private void onMasterGone() {
		if (this.closed.compareAndSet(false, true)) {
			logger.warn("Lost the connection to the cluster master (pid %d); shutting down"
				.formatted(this.identity.masterPid()));
			Thread exit = new Thread(() -> System.exit(0), "cluster-master-gone");
			exit.start();
			Thread deadline = new Thread(this::haltAfterDeadline, "cluster-exit-deadline");
			deadline.setDaemon(true);
			deadline.start();
		}
	}

	private void haltAfterDeadline() {
		try {
			Thread.sleep(ORPHAN_EXIT_DEADLINE.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		logger.error("Still running %d s after the cluster master (pid %d) went away: halting now"
			.formatted(ORPHAN_EXIT_DEADLINE.toSeconds(), this.identity.masterPid()));
		Runtime.getRuntime().halt(1);
	}

	/**
	 * Close the connection without shutting the worker down.
	 */
	@Override
	public void close() {
		this.closed.set(true);
		this.client.close();
	}

}
