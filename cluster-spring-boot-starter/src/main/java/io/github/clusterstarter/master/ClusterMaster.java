package io.github.clusterstarter.master;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.clusterstarter.control.ClusterSecret;
import io.github.clusterstarter.control.ControlConnection;
import io.github.clusterstarter.control.ControlDirectory;
import io.github.clusterstarter.control.ControlServer;
import io.github.clusterstarter.control.Message;
import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.socket.ListeningSocket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import sun.misc.Signal;

/**
 * The cluster master: binds the shared listening socket, starts the workers and keeps
 * them running until it is told to stop. It never creates the application's context.
 * <p>
 * Everything the master does happens on one thread, in {@link #run()}: signals, worker
 * exits and control messages arrive as events on a queue, and timers (respawn delays,
 * ready and shutdown timeouts) are checked between events. No state is shared between
 * threads.
 */
public final class ClusterMaster {

	private static final Log logger = LogFactory.getLog(ClusterMaster.class);

	private static final long IDLE_WAKEUP_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final ClusterSettings settings;

	private final WorkerCommand command;

	private final List<String> programArguments;

	private final BlockingQueue<MasterEvent> events = new LinkedBlockingQueue<>();

	private final Map<Integer, WorkerSlot> slots = new LinkedHashMap<>();

	private final Instant startedAt = Instant.now();

	private final long startedNanos = System.nanoTime();

	private @Nullable ListeningSocket socket;

	private @Nullable ControlDirectory controlDirectory;

	private @Nullable ClusterSecret secret;

	private int consecutiveBootFailures;

	private boolean announcedReady;

	private boolean shuttingDown;

	private long shutdownDeadlineNanos;

	private boolean killedAfterTimeout;

	private int exitCode;

	ClusterMaster(ClusterSettings settings, WorkerCommand command, List<String> programArguments) {
		this.settings = settings;
		this.command = command;
		this.programArguments = List.copyOf(programArguments);
	}

	/**
	 * Create a master that starts workers with the same command line as this process.
	 * @param settings the cluster settings
	 * @param programArguments the arguments that {@code main} received
	 * @return the master
	 */
	public static ClusterMaster forCurrentProcess(ClusterSettings settings, List<String> programArguments) {
		return new ClusterMaster(settings, WorkerCommand.ofCurrentProcess(settings.jvmArgs()), programArguments);
	}

	/**
	 * Run the cluster until it is told to stop or gives up.
	 * @return the exit status for the master process
	 */
	public int run() {
		ListeningSocket socket = ListeningSocket.bind(this.settings.host(), this.settings.port(),
				this.settings.backlog());
		this.socket = socket;
		socket.moveToStandardInput();
		ControlDirectory directory = createControlDirectory();
		this.controlDirectory = directory;
		this.secret = ClusterSecret.generate();
		ControlServer server = new ControlServer(directory, this.secret, new ControlEvents(this.events));
		Thread killWorkersOnExit = new Thread(this::killRemainingWorkers, "cluster-master-exit");
		Runtime.getRuntime().addShutdownHook(killWorkersOnExit);
		try {
			startControlServer(server);
			installSignalHandlers();
			logStart(socket);
			for (int id = 1; id <= this.settings.workers(); id++) {
				this.slots.put(id, new WorkerSlot(id, this.settings.initialBackoff()));
			}
			loop();
			logger.info("Cluster master stopped (exit status %d)".formatted(this.exitCode));
			return this.exitCode;
		}
		finally {
			server.close();
			directory.delete();
		}
	}

	private ControlDirectory createControlDirectory() {
		try {
			return ControlDirectory.create();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot create the cluster's control directory", ex);
		}
	}

	private void startControlServer(ControlServer server) {
		try {
			server.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot open the cluster's control socket", ex);
		}
	}

	private void logStart(ListeningSocket socket) {
		logger.info("Cluster master (pid %d) listening on %s:%d; starting %d worker(s), %d at a time".formatted(
				ProcessHandle.current().pid(), socket.host(), socket.port(), this.settings.workers(),
				this.settings.startConcurrency()));
		if (!this.command.droppedOptions().isEmpty()) {
			logger.info("Workers do not get these per-process JVM options of the master: "
					+ this.command.droppedOptions());
		}
	}

	private void installSignalHandlers() {
		for (String name : List.of("TERM", "INT")) {
			Signal.handle(new Signal(name), (signal) -> this.events.add(new MasterEvent.SignalReceived(name)));
		}
	}

	private void loop() {
		while (!isFinished()) {
			MasterEvent event = nextEvent();
			if (event != null) {
				handle(event);
			}
			tick();
		}
	}

	private boolean isFinished() {
		return this.shuttingDown && this.slots.values().stream().noneMatch(WorkerSlot::hasProcess);
	}

	private @Nullable MasterEvent nextEvent() {
		try {
			return this.events.poll(nanosUntilNextTimer(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			beginShutdown("interrupted", 0);
			return null;
		}
	}

	private long nanosUntilNextTimer() {
		long now = System.nanoTime();
		long next = now + IDLE_WAKEUP_NANOS;
		for (WorkerSlot slot : this.slots.values()) {
			if (slot.state == WorkerState.RESTARTING) {
				next = Math.min(next, slot.respawnAtNanos);
			}
			else if (slot.state == WorkerState.STARTING) {
				next = Math.min(next, slot.startedNanos + this.settings.readyTimeout().toNanos());
			}
		}
		if (this.shuttingDown) {
			next = Math.min(next, this.shutdownDeadlineNanos);
		}
		return Math.max(0, next - now);
	}

	private void handle(MasterEvent event) {
		if (event instanceof MasterEvent.SignalReceived signal) {
			onSignal(signal.name());
		}
		else if (event instanceof MasterEvent.WorkerExited exited) {
			onWorkerExited(exited.slot(), exited.process());
		}
		else if (event instanceof MasterEvent.Connected connected) {
			onConnected(connected.connection());
		}
		else if (event instanceof MasterEvent.Received received) {
			onMessage(received.connection(), received.message());
		}
		else if (event instanceof MasterEvent.Disconnected disconnected) {
			onDisconnected(disconnected.connection());
		}
	}

	private void onSignal(String name) {
		if (!this.shuttingDown) {
			beginShutdown("SIG" + name, 0);
		}
		else {
			logger.warn("Received SIG%s again while shutting down: killing the remaining workers now".formatted(name));
			killRemainingWorkers();
		}
	}

	private void beginShutdown(String reason, int exitCode) {
		this.shuttingDown = true;
		this.exitCode = exitCode;
		this.shutdownDeadlineNanos = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
		long running = this.slots.values().stream().filter(WorkerSlot::hasProcess).count();
		logger.info("Shutting down (%s): stopping %d worker(s) gracefully, at most %d s".formatted(reason, running,
				this.settings.shutdownTimeout().toSeconds()));
		for (WorkerSlot slot : this.slots.values()) {
			if (slot.hasProcess()) {
				stop(slot);
			}
			else {
				slot.state = WorkerState.STOPPED;
			}
		}
	}

	private void stop(WorkerSlot slot) {
		slot.state = WorkerState.STOPPING;
		slot.process.destroy();
	}

	private void onWorkerExited(WorkerSlot slot, Process process) {
		if (slot.process != process) {
			return;
		}
		int status = process.exitValue();
		WorkerState previous = slot.state;
		slot.process = null;
		slot.connection = null;
		slot.lastExit = new WorkerSlot.ExitRecord(status, Instant.now());
		if (this.shuttingDown || previous == WorkerState.STOPPING) {
			slot.state = WorkerState.STOPPED;
			logger.info("%s stopped (exit status %d)".formatted(slot.describe(), status));
			return;
		}
		if (previous == WorkerState.STARTING) {
			onBootFailure(slot, status);
		}
		else {
			onCrash(slot, status);
		}
	}

	private void onBootFailure(WorkerSlot slot, int status) {
		this.consecutiveBootFailures++;
		String why = slot.killedForReadyTimeout
				? "was not ready within " + this.settings.readyTimeout().toSeconds() + " s"
				: "exited with status " + status + " before it became ready";
		String reported = (slot.bootFailure != null) ? " (" + slot.bootFailure + ")" : "";
		if (this.consecutiveBootFailures >= this.settings.maxBootFailures()) {
			logger.error(("Giving up: %d worker(s) in a row failed to boot. The last one, %s, %s%s. "
					+ "The workers' own output above says why: look for 'APPLICATION FAILED TO START' or the "
					+ "first stack trace. Adjust cluster.worker.max-boot-failures or "
					+ "cluster.worker.ready-timeout if booting is just slow.")
				.formatted(this.consecutiveBootFailures, slot.describe(), why, reported));
			slot.state = WorkerState.STOPPED;
			beginShutdown("crash loop", 1);
			return;
		}
		logger.error("%s %s%s; boot failure %d of %d allowed in a row".formatted(slot.describe(), why, reported,
				this.consecutiveBootFailures, this.settings.maxBootFailures()));
		scheduleRespawn(slot);
	}

	private void onCrash(WorkerSlot slot, int status) {
		long readyForNanos = System.nanoTime() - slot.readyNanos;
		if (readyForNanos >= this.settings.backoffResetAfter().toNanos()) {
			slot.nextBackoff = this.settings.initialBackoff();
		}
		logger.warn("%s exited unexpectedly with status %d after %d s%s".formatted(slot.describe(), status,
				Duration.ofNanos(System.nanoTime() - slot.startedNanos).toSeconds(), exitHint(status)));
		scheduleRespawn(slot);
	}

	private static String exitHint(int status) {
		return switch (status) {
			case 137 -> " (killed by SIGKILL: kill -9 or the kernel's out-of-memory killer)";
			case 143 -> " (SIGTERM)";
			case 134 -> " (SIGABRT: the JVM crashed; look for an hs_err_pid file)";
			default -> "";
		};
	}

	private void scheduleRespawn(WorkerSlot slot) {
		Duration delay = slot.nextBackoff;
		slot.state = WorkerState.RESTARTING;
		slot.respawnAtNanos = System.nanoTime() + delay.toNanos();
		slot.nextBackoff = min(delay.multipliedBy(2), this.settings.maxBackoff());
		logger.info("Restarting worker %d in %d ms".formatted(slot.id, delay.toMillis()));
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private void onConnected(ControlConnection connection) {
		WorkerSlot slot = this.slots.get(connection.workerId());
		if (slot == null || !slot.hasProcess() || slot.pid != connection.pid()) {
			logger.warn("Rejected a control connection from pid %d claiming to be worker %d"
				.formatted(connection.pid(), connection.workerId()));
			connection.close();
			return;
		}
		slot.connection = connection;
	}

	private void onMessage(ControlConnection connection, Message message) {
		WorkerSlot slot = this.slots.get(connection.workerId());
		if (slot == null || slot.connection != connection) {
			return;
		}
		switch (message.type()) {
			case "ready" -> onReady(slot);
			case "failed" -> slot.bootFailure = message.getString("reason");
			case "status" -> connection.reply(message, StatusReport.of(this));
			default -> {
				logger.warn("Ignoring unknown message '%s' from %s".formatted(message.type(), slot.describe()));
				connection.replyError(message, "unknown message type '" + message.type() + "'");
			}
		}
	}

	private void onReady(WorkerSlot slot) {
		if (slot.state != WorkerState.STARTING) {
			return;
		}
		slot.state = WorkerState.READY;
		slot.readyNanos = System.nanoTime();
		slot.everReady = true;
		this.consecutiveBootFailures = 0;
		logger.info("%s is ready (booted in %d ms)".formatted(slot.describe(),
				Duration.ofNanos(slot.readyNanos - slot.startedNanos).toMillis()));
		if (!this.announcedReady && this.slots.values().stream().allMatch((s) -> s.state == WorkerState.READY)) {
			this.announcedReady = true;
			logger.info("Cluster ready: %d worker(s) serving port %d in %d ms".formatted(this.slots.size(),
					this.socket.port(), Duration.ofNanos(System.nanoTime() - this.startedNanos).toMillis()));
		}
	}

	private void onDisconnected(ControlConnection connection) {
		WorkerSlot slot = this.slots.get(connection.workerId());
		if (slot != null && slot.connection == connection) {
			slot.connection = null;
		}
	}

	private void tick() {
		long now = System.nanoTime();
		if (this.shuttingDown) {
			if (!this.killedAfterTimeout && now - this.shutdownDeadlineNanos >= 0) {
				this.killedAfterTimeout = true;
				logger.warn("Workers still running after cluster.shutdown-timeout (%d s): killing them"
					.formatted(this.settings.shutdownTimeout().toSeconds()));
				killRemainingWorkers();
			}
			return;
		}
		for (WorkerSlot slot : this.slots.values()) {
			if (slot.state == WorkerState.STARTING && !slot.killedForReadyTimeout
					&& now - slot.startedNanos >= this.settings.readyTimeout().toNanos()) {
				slot.killedForReadyTimeout = true;
				logger.error("%s is not ready after %d s (cluster.worker.ready-timeout): killing it"
					.formatted(slot.describe(), this.settings.readyTimeout().toSeconds()));
				slot.process.destroyForcibly();
			}
		}
		for (WorkerSlot slot : this.slots.values()) {
			if (startingCount() >= this.settings.startConcurrency()) {
				return;
			}
			boolean due = slot.state == WorkerState.PENDING
					|| slot.state == WorkerState.RESTARTING && now - slot.respawnAtNanos >= 0;
			if (due) {
				start(slot);
			}
		}
	}

	private long startingCount() {
		return this.slots.values().stream().filter((slot) -> slot.state == WorkerState.STARTING).count();
	}

	private void start(WorkerSlot slot) {
		WorkerIdentity identity = new WorkerIdentity(slot.id, this.controlDirectory.socketPath(), this.secret,
				ProcessHandle.current().pid());
		ProcessBuilder builder = new ProcessBuilder(this.command.commandLine(this.programArguments));
		builder.environment().putAll(identity.toEnvironment());
		builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
		builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
		builder.redirectError(ProcessBuilder.Redirect.INHERIT);
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			logger.error("Cannot start worker %d: %s".formatted(slot.id, ex.getMessage()), ex);
			this.consecutiveBootFailures++;
			if (this.consecutiveBootFailures >= this.settings.maxBootFailures()) {
				beginShutdown("workers cannot be started", 1);
			}
			else {
				scheduleRespawn(slot);
			}
			return;
		}
		if (slot.everStarted) {
			slot.restarts++;
		}
		slot.everStarted = true;
		slot.process = process;
		slot.pid = process.pid();
		slot.state = WorkerState.STARTING;
		slot.startedAt = Instant.now();
		slot.startedNanos = System.nanoTime();
		slot.bootFailure = null;
		slot.killedForReadyTimeout = false;
		slot.connection = null;
		process.onExit().thenRun(() -> this.events.add(new MasterEvent.WorkerExited(slot, process)));
		logger.info("Started %s".formatted(slot.describe()));
	}

	/**
	 * Kill every worker still running. Runs on the event loop, and as a shutdown hook in
	 * case the master's JVM exits some other way.
	 */
	private void killRemainingWorkers() {
		for (WorkerSlot slot : List.copyOf(this.slots.values())) {
			Process process = slot.process;
			if (process != null && process.isAlive()) {
				process.destroyForcibly();
			}
		}
	}

	Map<Integer, WorkerSlot> slots() {
		return this.slots;
	}

	ClusterSettings settings() {
		return this.settings;
	}

	Instant startedAt() {
		return this.startedAt;
	}

	@Nullable ListeningSocket socket() {
		return this.socket;
	}

	boolean isShuttingDown() {
		return this.shuttingDown;
	}

	/**
	 * Hands control server callbacks, which run on reader threads, to the event loop.
	 */
	private record ControlEvents(BlockingQueue<MasterEvent> events) implements ControlServer.Listener {

		@Override
		public void onConnected(ControlConnection connection) {
			this.events.add(new MasterEvent.Connected(connection));
		}

		@Override
		public void onMessage(ControlConnection connection, Message message) {
			this.events.add(new MasterEvent.Received(connection, message));
		}

		@Override
		public void onDisconnected(ControlConnection connection) {
			this.events.add(new MasterEvent.Disconnected(connection));
		}

	}

}
