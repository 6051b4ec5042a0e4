package io.github.clusterstarter.master;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import io.github.clusterstarter.control.ClusterSecret;
import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.Frame;
import io.github.clusterstarter.status.ClusterStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives a {@link ClusterMaster} with fake processes, fake connections and a fake clock,
 * one loop turn at a time: no process is started, no thread, no sleep.
 */
final class MasterHarness {

	static final MasterAddress ADDRESS = new MasterAddress("127.0.0.1", 8080,
			Path.of("/run/boot-cluster-test/control.sock"), ClusterSecret.generate(), null);

	static final ClusterStatus.BuildInfo BUILD = new ClusterStatus.BuildInfo("1.0.0", "/opt/app/app.jar", 1L, 2L);

	static final byte[] NO_BODY = new byte[0];

	final FakeClock clock = new FakeClock();

	final FakeWorkerLauncher launcher = new FakeWorkerLauncher();

	/**
	 * Resident memory by pid, as the sampler reads it.
	 */
	final Map<Long, Long> rss = new HashMap<>();

	/**
	 * CPU time by pid, as the sampler reads it.
	 */
	final Map<Long, Long> cpuNanos = new HashMap<>();

	final FakeListener listener = new FakeListener();

	final FakeServiceManager serviceManager = new FakeServiceManager();

	/**
	 * Memory available to new workers.
	 */
	long availableBytes = Long.MAX_VALUE;

	private final CountingMemory memory = new CountingMemory();

	final ClusterMaster master;

	private final Map<Long, FakeControlConnection> connections = new HashMap<>();

	private long nextRequestId = 1;

	MasterHarness(TestSettings settings) {
		this(settings, new SplittableRandom(42), (launcher) -> {
		});
	}

	MasterHarness(TestSettings settings, RandomGenerator random) {
		this(settings, random, (launcher) -> {
		});
	}

	MasterHarness(TestSettings settings, Consumer<FakeWorkerLauncher> launcherSetup) {
		this(settings, new SplittableRandom(42), launcherSetup);
	}

	private MasterHarness(TestSettings settings, RandomGenerator random,
			Consumer<FakeWorkerLauncher> launcherSetup) {
		launcherSetup.accept(this.launcher);
		ProcessSampler.Source metrics = new ProcessSampler.Source() {

			@Override
			public long rssBytes(long pid) {
				return MasterHarness.this.rss.getOrDefault(pid, 0L);
			}

			@Override
			public long cpuNanos(long pid) {
				return MasterHarness.this.cpuNanos.getOrDefault(pid, 0L);
			}

			@Override
			public long availableBytes() {
				return MasterHarness.this.availableBytes;
			}

		};
		this.master = new ClusterMaster(settings.build(), this.launcher, this.clock, metrics,
				new MasterFootprint(this.memory), random, this.serviceManager);
		this.master.start(ADDRESS, this.listener);
		settle();
	}

	/**
	 * Start a cluster and make every worker ready.
	 * @param settings the settings
	 * @return the harness
	 */
	static MasterHarness allReady(TestSettings settings) {
		return allReady(settings, (launcher) -> {
		});
	}

	/**
	 * Start a cluster with a launcher set up first, and make every worker ready.
	 * @param settings the settings
	 * @param launcherSetup sets up the launcher
	 * @return the harness
	 */
	static MasterHarness allReady(TestSettings settings, Consumer<FakeWorkerLauncher> launcherSetup) {
		MasterHarness harness = new MasterHarness(settings, launcherSetup);
		harness.launcher.running().forEach(harness::ready);
		return harness;
	}

	/**
	 * Handle every queued event, then advance the timers once more.
	 */
	void settle() {
		int turns = 0;
		while (this.master.runOnce()) {
			assertThat(++turns).as("loop turns to settle").isLessThan(10_000);
		}
	}

	void advance(Duration duration) {
		this.clock.advance(duration);
		settle();
	}

	/**
	 * Return the newest process of a worker id.
	 * @param id the worker id
	 * @return the process
	 */
	FakeWorkerJvm worker(int id) {
		List<FakeWorkerJvm> processes = this.launcher.of(id);
		assertThat(processes).as("processes of worker %d", id).isNotEmpty();
		return processes.get(processes.size() - 1);
	}

	/**
	 * Open one more control connection for a process.
	 * @param jvm the process
	 * @return the connection
	 */
	FakeControlConnection connect(FakeWorkerJvm jvm) {
		FakeControlConnection connection = new FakeControlConnection(jvm.workerId(), jvm.pid());
		this.connections.putIfAbsent(jvm.pid(), connection);
		this.master.controlListener().onConnected(connection);
		settle();
		return connection;
	}

	/**
	 * Return the first control connection of a process, opening it if needed.
	 * @param jvm the process
	 * @return the connection
	 */
	FakeControlConnection connection(FakeWorkerJvm jvm) {
		FakeControlConnection connection = this.connections.get(jvm.pid());
		return (connection != null) ? connection : connect(jvm);
	}

	void ready(FakeWorkerJvm jvm) {
		send(connection(jvm), new ControlMessage.Ready(BUILD));
	}

	void heartbeat(FakeWorkerJvm jvm, long requests) {
		send(connection(jvm), new ControlMessage.Heartbeat(64 << 20, 256 << 20, requests, 1));
	}

	/**
	 * Send a heartbeat from every process that has not exited.
	 */
	void heartbeats() {
		this.launcher.running().forEach((jvm) -> heartbeat(jvm, 0));
	}

	void send(FakeControlConnection connection, ControlMessage.WorkerMessage message) {
		send(connection, message, NO_BODY);
	}

	void send(FakeControlConnection connection, ControlMessage.WorkerMessage message, byte[] body) {
		this.master.controlListener().onMessage(connection, new Frame<>(0, 0, message, body));
		settle();
	}

	ControlMessage.MasterMessage request(FakeWorkerJvm jvm, ControlMessage.WorkerMessage message) {
		return request(connection(jvm), message, NO_BODY);
	}

	ControlMessage.MasterMessage request(FakeControlConnection connection, ControlMessage.WorkerMessage message) {
		return request(connection, message, NO_BODY);
	}

	/**
	 * Send a request and return its answer.
	 * @param connection the connection to send it on
	 * @param message the request
	 * @param body its body
	 * @return the answer on that connection, or {@code null} if there was none
	 */
	ControlMessage.MasterMessage request(FakeControlConnection connection, ControlMessage.WorkerMessage message,
			byte[] body) {
		long requestId = this.nextRequestId++;
		this.master.controlListener().onMessage(connection, new Frame<>(requestId, 0, message, body));
		settle();
		return connection.replies.get(requestId);
	}

	void exit(FakeWorkerJvm jvm, int status) {
		jvm.exit(status);
		settle();
	}

	/**
	 * Let every process that was asked to stop exit, as after {@code SIGTERM}.
	 */
	void stoppedOnesExit() {
		this.launcher.running().stream().filter(FakeWorkerJvm::isStopRequested).forEach((jvm) -> jvm.exit(143));
		settle();
	}

	void signal(String name) {
		this.master.post(new MasterEvent.SignalReceived(name));
		settle();
	}

	/**
	 * Ask for the status, as a worker that has not exited.
	 * @return the status
	 */
	ClusterStatus status() {
		FakeWorkerJvm asking = this.launcher.running()
			.stream()
			.filter((jvm) -> this.connections.containsKey(jvm.pid()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No connected worker left to ask for the status"));
		ControlMessage.MasterMessage answer = request(asking, new ControlMessage.StatusRequest());
		assertThat(answer).isInstanceOf(ControlMessage.Status.class);
		return ((ControlMessage.Status) answer).status();
	}

	ClusterStatus.WorkerStatus status(int id) {
		return status().worker(id).orElseThrow(() -> new AssertionError("No worker " + id + " in the status"));
	}

	/**
	 * Return how often the master gave memory back.
	 * @return the number of collections it ran
	 */
	int footprintShrinks() {
		return this.memory.collections;
	}

	/**
	 * Memory whose collections are only counted.
	 */
	private static final class CountingMemory implements MasterFootprint.Memory {

		private int collections;

		@Override
		public boolean isDefault(String flag) {
			return false;
		}

		@Override
		public void setFlag(String flag, String value) {
		}

		@Override
		public void collect() {
			this.collections++;
		}

		@Override
		public void trimNativeHeap() {
		}

	}

	/**
	 * The shared socket, with an accept queue the test fills and empties.
	 */
	static final class FakeListener implements SharedListener {

		boolean admitting = true;

		int queued;

		boolean closed;

		@Override
		public void stopAdmitting() {
			this.admitting = false;
		}

		@Override
		public int queuedConnections() {
			return this.queued;
		}

		@Override
		public void close() {
			this.closed = true;
		}

	}

}
