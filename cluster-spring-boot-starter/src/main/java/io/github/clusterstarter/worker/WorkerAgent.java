package io.github.clusterstarter.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.clusterstarter.control.ControlClient;
import io.github.clusterstarter.control.ControlRequestException;
import io.github.clusterstarter.control.Message;
import io.github.clusterstarter.control.WorkerIdentity;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A worker's side of the cluster: connects to the master as soon as the worker starts,
 * tells it when the application is ready or failed, answers for the master in the
 * actuator, and shuts the worker down when the master disappears.
 */
public final class WorkerAgent {

	/**
	 * Name of the agent's singleton in the worker's application context.
	 */
	public static final String BEAN_NAME = "clusterWorkerAgent";

	private static final Log logger = LogFactory.getLog(WorkerAgent.class);

	private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

	private final WorkerIdentity identity;

	private final AcceptGate acceptGate = new AcceptGate();

	private final AtomicBoolean masterGone = new AtomicBoolean();

	private final RequestStats requestStats = new RequestStats();

	private final long pid = ProcessHandle.current().pid();

	private volatile long primaryPid;

	private volatile boolean stopping;

	private volatile @Nullable Consumer<Message> messageHandler;

	private volatile @Nullable Supplier<String> metricsSource;

	private final Map<String, MetricsCollection> metricsCollections = new ConcurrentHashMap<>();

	private volatile ControlClient client;

	private WorkerAgent(WorkerIdentity identity) {
		this.identity = identity;
	}

	/**
	 * Connect a new agent to the master.
	 * @param identity the worker's identity
	 * @return the connected agent
	 * @throws IllegalStateException if the master cannot be reached
	 */
	public static WorkerAgent connect(WorkerIdentity identity) {
		WorkerAgent agent = new WorkerAgent(identity);
		try {
			agent.client = ControlClient.connect(identity.controlSocket(), identity.secret(), identity.workerId(),
					agent.pid, agent::onMessage, agent::onMasterGone);
			agent.startHeartbeat();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Worker %d cannot reach the cluster master (pid %d) at %s"
				.formatted(identity.workerId(), identity.masterPid(), identity.controlSocket()), ex);
		}
		return agent;
	}

	/**
	 * Return the id of this worker.
	 * @return the worker id
	 */
	public int getWorkerId() {
		return this.identity.workerId();
	}

	/**
	 * Return the counters of the requests this worker serves.
	 * @return the request statistics
	 */
	public RequestStats getRequestStats() {
		return this.requestStats;
	}

	/**
	 * Send a heartbeat every second from a thread of its own, so that the master's
	 * watchdog can tell a live worker from a hung or frozen JVM. It carries the figures
	 * the master reports and recycles on.
	 */
	private void startHeartbeat() {
		Thread heartbeat = new Thread(() -> {
			MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
			while (!this.masterGone.get()) {
				MemoryUsage heap = memory.getHeapMemoryUsage();
				send(Message.of("heartbeat", "heapUsed", heap.getUsed(), "heapMax", heap.getMax(), "requests",
						this.requestStats.served(), "inFlight", this.requestStats.inFlight()));
				try {
					Thread.sleep(HEARTBEAT_INTERVAL.toMillis());
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "cluster-heartbeat");
		heartbeat.setDaemon(true);
		heartbeat.start();
	}

	/**
	 * Return the gate that holds the acceptor back until the application is ready.
	 * @return the accept gate
	 */
	public AcceptGate getAcceptGate() {
		return this.acceptGate;
	}

	/**
	 * Start accepting connections and tell the master that this worker is ready.
	 * @param mainClass the application's main class, to report what this worker runs
	 */
	public void ready(@Nullable Class<?> mainClass) {
		this.acceptGate.open();
		send(Message.of("ready", "build", WorkerBuild.describe(mainClass)));
	}

	/**
	 * Tell the master why this worker failed to start, so that it can report it.
	 * @param failure the failure
	 */
	public void failed(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String reason = root.getClass().getName() + ((root.getMessage() != null) ? ": " + root.getMessage() : "");
		send(Message.of("failed", "reason", reason));
	}

	/**
	 * Ask the master for the state of the cluster.
	 * @param timeout how long to wait for the answer
	 * @return the master's answer
	 * @throws MasterUnavailableException if the master does not answer in time
	 */
	public Message requestStatus(Duration timeout) {
		return request(Message.of("status"), timeout);
	}

	/**
	 * Ask the master to replace every worker, one batch at a time.
	 * @param timeout how long to wait for the answer
	 * @return what the master did
	 * @throws ClusterCommandException if the master refuses
	 * @throws MasterUnavailableException if the master does not answer in time
	 */
	public String requestRollout(Duration timeout) {
		return request(Message.of("rollout"), timeout).getString("detail");
	}

	/**
	 * Ask the master to replace one worker.
	 * @param workerId the worker to replace
	 * @param timeout how long to wait for the answer
	 * @return what the master did
	 * @throws ClusterCommandException if the master refuses
	 * @throws MasterUnavailableException if the master does not answer in time
	 */
	public String requestRestart(int workerId, Duration timeout) {
		return request(Message.of("restart", "worker", workerId), timeout).getString("detail");
	}

	/**
	 * Ask the master to run the given number of workers.
	 * @param workers the number of workers
	 * @param timeout how long to wait for the answer
	 * @return what the master did
	 * @throws ClusterCommandException if the master refuses
	 * @throws MasterUnavailableException if the master does not answer in time
	 */
	public String requestScale(int workers, Duration timeout) {
		return request(Message.of("scale", "workers", workers), timeout).getString("detail");
	}

	private Message request(Message message, Duration timeout) {
		try {
			return this.client.request(message, timeout).get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MasterUnavailableException("Interrupted while waiting for the cluster master", ex);
		}
		catch (ExecutionException ex) {
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

	private void send(Message message) {
		try {
			this.client.send(message);
		}
		catch (UncheckedIOException ex) {
			logger.debug("Could not send '%s' to the cluster master".formatted(message.type()), ex);
		}
	}

	private void onMessage(Message message) {
		switch (message.type()) {
			case "primary" -> this.primaryPid = message.getLong("pid");
			case "message" -> {
				Consumer<Message> handler = this.messageHandler;
				if (handler != null) {
					handler.accept(message);
				}
				else {
					logger.debug("No handler for a message from worker " + message.get("from"));
				}
			}
			case "scrape" -> answerScrape(message);
			case "scrape-part" -> {
				MetricsCollection collection = this.metricsCollections.get(message.getString("scrapeId"));
				if (collection != null) {
					collection.add(message.getInt("worker"), message.getString("text"));
				}
			}
			default -> logger.debug("Ignoring unexpected message '%s' from the cluster master".formatted(message.type()));
		}
	}

	private void answerScrape(Message request) {
		Supplier<String> source = this.metricsSource;
		if (source == null) {
			return;
		}
		// Off the control connection's thread: a scrape takes a while
		Thread scrape = new Thread(() -> send(Message.of("scrape-result", "scrapeId", request.getString("scrapeId"),
				"requesterWorker", request.getInt("requesterWorker"), "requesterPid", request.getLong("requesterPid"),
				"text", source.get())), "cluster-scrape");
		scrape.setDaemon(true);
		scrape.start();
	}

	/**
	 * Set what provides this worker's metrics, in the Prometheus text format, when
	 * another worker collects the whole cluster's.
	 * @param source the metrics source
	 */
	public void setMetricsSource(Supplier<String> source) {
		this.metricsSource = source;
	}

	/**
	 * Collect the metrics of every ready worker, this one included.
	 * @param timeout how long to wait for the workers
	 * @return each worker's metrics text by worker id; a worker that did not answer in
	 * time is missing
	 * @throws MasterUnavailableException if the master does not answer in time
	 */
	public Map<Integer, String> collectMetrics(Duration timeout) {
		String scrapeId = UUID.randomUUID().toString();
		MetricsCollection collection = new MetricsCollection();
		this.metricsCollections.put(scrapeId, collection);
		try {
			Message answer = request(Message.of("scrape-all", "scrapeId", scrapeId), timeout);
			Set<Integer> asked = new HashSet<>();
			answer.getList("workers").forEach((id) -> asked.add(((Number) id).intValue()));
			return collection.await(asked, timeout);
		}
		finally {
			this.metricsCollections.remove(scrapeId);
		}
	}

	/**
	 * The metrics texts arriving for one collection.
	 */
	private static final class MetricsCollection {

		private final Map<Integer, String> texts = new TreeMap<>();

		synchronized void add(int workerId, String text) {
			this.texts.put(workerId, text);
			notifyAll();
		}

		synchronized Map<Integer, String> await(Set<Integer> expected, Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			try {
				while (!this.texts.keySet().containsAll(expected)) {
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						break;
					}
					TimeUnit.NANOSECONDS.timedWait(this, left);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return new TreeMap<>(this.texts);
		}

	}

	/**
	 * Return whether this process is the primary worker, the one that runs
	 * one-worker-only jobs. A worker that is shutting down never is.
	 * @return whether this worker is the primary
	 */
	public boolean isPrimary() {
		return !this.stopping && this.primaryPid == this.pid;
	}

	/**
	 * Note that this worker is shutting down, so that it stops acting as the primary at
	 * once, before the master learns it.
	 */
	public void stopping() {
		this.stopping = true;
	}

	/**
	 * Set what receives the messages other workers publish.
	 * @param handler the handler, called on one thread, in order
	 */
	public void setMessageHandler(Consumer<Message> handler) {
		this.messageHandler = handler;
	}

	/**
	 * Have the master deliver a message to one worker or to every ready worker.
	 * @param to the target worker id, or {@code null} for every worker
	 * @param payloadType the class of the payload
	 * @param payload the payload as JSON
	 * @param timeout how long to wait for the master
	 * @return the number of workers it was delivered to
	 * @throws ClusterCommandException if the target does not exist
	 * @throws MasterUnavailableException if the master does not answer in time
	 */
	public int publish(@Nullable Integer to, String payloadType, String payload, Duration timeout) {
		Message message = Message.of("publish", "to", to, "payloadType", payloadType, "payload", payload);
		return request(message, timeout).getInt("delivered");
	}

	/**
	 * A worker must never outlive its master: nobody would supervise it, and it would keep
	 * the listening socket open after the cluster is gone. The graceful shutdown finishes
	 * its in-flight requests first.
	 */
	private void onMasterGone() {
		if (this.masterGone.compareAndSet(false, true)) {
			logger.warn("Lost the connection to the cluster master (pid %d); shutting down"
				.formatted(this.identity.masterPid()));
			Thread exit = new Thread(() -> System.exit(0), "cluster-master-gone");
			exit.start();
		}
	}

	/**
	 * Close the connection to the master.
	 */
	public void close() {
		this.masterGone.set(true);
		this.client.close();
	}

}
