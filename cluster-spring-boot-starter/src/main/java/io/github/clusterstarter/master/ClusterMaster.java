package io.github.clusterstarter.master;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.clusterstarter.control.ClusterSecret;
import io.github.clusterstarter.control.ControlConnection;
import io.github.clusterstarter.control.ControlDirectory;
import io.github.clusterstarter.control.ControlServer;
import io.github.clusterstarter.control.Message;
import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.socket.ListeningSocket;
import io.github.clusterstarter.socket.ProcessSignals;
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
 * ready and shutdown timeouts) and rolling restarts advance between events. No state is
 * shared between threads.
 */
public final class ClusterMaster {

	private static final Log logger = LogFactory.getLog(ClusterMaster.class);

	private static final long IDLE_WAKEUP_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final long SAMPLE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

	/**
	 * Time a hung worker gets to write its thread dump before it is killed.
	 */
	private static final long THREAD_DUMP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

	private final ClusterSettings settings;

	private final WorkerCommand command;

	private final @Nullable ClassDataSharing classDataSharing;

	private final List<String> programArguments;

	private final BlockingQueue<MasterEvent> events = new LinkedBlockingQueue<>();

	private final TreeMap<Integer, WorkerSlot> slots = new TreeMap<>();

	private final Instant startedAt = Instant.now();

	private final long startedNanos = System.nanoTime();

	private @Nullable ListeningSocket socket;

	private @Nullable ControlDirectory controlDirectory;

	private @Nullable ClusterSecret secret;

	private int desiredWorkers;

	private @Nullable Rollout rollout;

	private int consecutiveBootFailures;

	private boolean announcedReady;

	private boolean shuttingDown;

	private long shutdownDeadlineNanos;

	private boolean killedAfterTimeout;

	private int exitCode;

	private long sampledNanos;

	/**
	 * The process that runs one-worker-only jobs, 0 for none.
	 */
	private long primaryPid;

	/**
	 * Processes started again for an id, by the reason of the last replacement.
	 */
	private final Map<String, Long> replacements = new TreeMap<>();

	private final MasterFootprint footprint = new MasterFootprint();

	private long rssBytes;

	ClusterMaster(ClusterSettings settings, WorkerCommand command, List<String> programArguments) {
		this.settings = settings;
		this.command = command;
		this.programArguments = List.copyOf(programArguments);
		this.desiredWorkers = settings.workers();
		this.classDataSharing = (settings.cdsDirectory() != null)
				? ClassDataSharing.of(command, this.programArguments, settings.cdsDirectory()) : null;
	}

	/**
	 * Create a master that starts workers with the same command line as this process.
	 * @param settings the cluster settings
	 * @param programArguments the arguments that {@code main} received
	 * @return the master
	 */
	public static ClusterMaster forCurrentProcess(ClusterSettings settings, List<String> programArguments) {
		WorkerCommand command = WorkerCommand.ofCurrentProcess(settings.jvmArgs());
		if (settings.exitOnOutOfMemory()) {
			command = command.withOutOfMemoryExit();
		}
		return new ClusterMaster(settings, command, programArguments);
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
		Runtime.getRuntime().addShutdownHook(new Thread(this::killAllWorkers, "cluster-master-exit"));
		try {
			startControlServer(server);
			installSignalHandlers();
			logStart(socket);
			for (int id = 1; id <= this.desiredWorkers; id++) {
				this.slots.put(id, new WorkerSlot(id));
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
				ProcessHandle.current().pid(), socket.host(), socket.port(), this.desiredWorkers,
				this.settings.startConcurrency()));
		if (!this.command.droppedOptions().isEmpty()) {
			logger.info("Workers do not get these per-process JVM options of the master: "
					+ this.command.droppedOptions());
		}
	}

	private void installSignalHandlers() {
		for (String name : List.of("TERM", "INT", "HUP", "TTIN", "TTOU")) {
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
			electPrimary();
		}
	}

	private boolean isFinished() {
		return this.shuttingDown && this.slots.values().stream().allMatch((slot) -> slot.processes().findAny().isEmpty());
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
			if (slot.current == null && slot.replacement == null && slot.idleState == WorkerState.RESTARTING) {
				next = Math.min(next, slot.respawnAtNanos);
			}
			for (WorkerProcess process : new WorkerProcess[] { slot.current, slot.replacement }) {
				if (process != null && process.isStarting()) {
					next = Math.min(next, process.startedNanos + this.settings.readyTimeout().toNanos());
				}
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
			onExit(exited.slot(), exited.process());
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

	// Signals

	private void onSignal(String name) {
		switch (name) {
			case "TERM", "INT" -> {
				if (!this.shuttingDown) {
					beginShutdown("SIG" + name, 0);
				}
				else {
					logger.warn("Received SIG%s again while shutting down: killing the workers now".formatted(name));
					killAllWorkers();
				}
			}
			case "HUP" -> logOutcome("SIGHUP", startRollout("SIGHUP", List.copyOf(this.slots.keySet())));
			case "TTIN" -> logOutcome("SIGTTIN", scale(this.desiredWorkers + 1));
			case "TTOU" -> logOutcome("SIGTTOU", scale(this.desiredWorkers - 1));
			default -> logger.debug("Ignoring SIG" + name);
		}
	}

	private void logOutcome(String trigger, CommandResult result) {
		if (result.accepted()) {
			logger.info("%s: %s".formatted(trigger, result.detail()));
		}
		else {
			logger.warn("%s ignored: %s".formatted(trigger, result.detail()));
		}
	}

	// Shutdown

	private void beginShutdown(String reason, int exitCode) {
		this.shuttingDown = true;
		this.exitCode = exitCode;
		this.shutdownDeadlineNanos = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
		if (this.rollout != null && this.rollout.isInProgress()) {
			this.rollout.fail("the cluster is shutting down");
		}
		long running = this.slots.values().stream().flatMap(WorkerSlot::processes).count();
		logger.info("Shutting down (%s): stopping %d worker(s) gracefully, at most %d s".formatted(reason, running,
				this.settings.shutdownTimeout().toSeconds()));
		for (WorkerSlot slot : this.slots.values()) {
			slot.processes().filter((process) -> process.state != WorkerState.STOPPING).forEach(WorkerProcess::stop);
			if (slot.current == null) {
				slot.idleState = WorkerState.STOPPED;
			}
		}
	}

	/**
	 * Kill every worker still running. Runs on the event loop, and as a shutdown hook in
	 * case the master's JVM exits some other way.
	 */
	private void killAllWorkers() {
		for (WorkerSlot slot : List.copyOf(this.slots.values())) {
			slot.processes().toList().forEach((process) -> process.process.destroyForcibly());
		}
	}

	// Worker exits

	private void onExit(WorkerSlot slot, WorkerProcess process) {
		int status = process.process.exitValue();
		slot.lastExit = new WorkerSlot.ExitRecord(process.pid, status, Instant.now());
		if (slot.retired.remove(process)) {
			logger.info("%s stopped (exit status %d)".formatted(slot.describe(process), status));
		}
		else if (process == slot.replacement) {
			slot.replacement = null;
			onReplacementFailed(slot, process, status);
		}
		else if (process == slot.current) {
			slot.current = null;
			onCurrentExited(slot, process, status);
		}
		if (slot.removing && slot.processes().findAny().isEmpty()) {
			this.slots.remove(slot.id);
			logger.info("Worker %d removed; %d worker(s) now".formatted(slot.id, this.slots.size()));
		}
	}

	private void onCurrentExited(WorkerSlot slot, WorkerProcess process, int status) {
		if (this.shuttingDown || slot.removing || process.state == WorkerState.STOPPING) {
			slot.idleState = WorkerState.STOPPED;
			logger.info("%s stopped (exit status %d)".formatted(slot.describe(process), status));
			return;
		}
		if (process.isStarting()) {
			onBootFailure(slot, process, status);
		}
		else {
			onCrash(slot, process, status);
		}
	}

	private void onBootFailure(WorkerSlot slot, WorkerProcess process, int status) {
		this.consecutiveBootFailures++;
		String why = describeBootFailure(process, status);
		slot.lastReplacementReason = process.killedForReadyTimeout ? "ready-timeout" : "boot-failure";
		if (this.consecutiveBootFailures >= this.settings.maxBootFailures()) {
			logger.error(("Giving up: %d worker(s) in a row failed to boot. The last one, %s, %s. "
					+ "The workers' own output above says why: look for 'APPLICATION FAILED TO START' or the "
					+ "first stack trace. Adjust cluster.worker.max-boot-failures or "
					+ "cluster.worker.ready-timeout if booting is just slow.")
				.formatted(this.consecutiveBootFailures, slot.describe(process), why));
			slot.idleState = WorkerState.STOPPED;
			beginShutdown("crash loop", 1);
			return;
		}
		logger.error("%s %s; boot failure %d of %d allowed in a row".formatted(slot.describe(process), why,
				this.consecutiveBootFailures, this.settings.maxBootFailures()));
		scheduleRespawn(slot);
	}

	private String describeBootFailure(WorkerProcess process, int status) {
		String why = process.killedForReadyTimeout
				? "was not ready within " + this.settings.readyTimeout().toSeconds() + " s"
				: "exited with status " + status + " before it became ready";
		return (process.bootFailure != null) ? why + " (" + process.bootFailure + ")" : why;
	}

	private void onCrash(WorkerSlot slot, WorkerProcess process, int status) {
		if (System.nanoTime() - process.readyNanos >= this.settings.backoffResetAfter().toNanos()) {
			slot.nextBackoff = Duration.ZERO;
		}
		if (process.hung) {
			slot.lastReplacementReason = "timeout";
			logger.warn("%s was killed after it stopped sending heartbeats".formatted(slot.describe(process)));
		}
		else {
			slot.lastReplacementReason = "crash";
			logger.warn("%s exited unexpectedly with status %d after %d s%s".formatted(slot.describe(process),
					status, Duration.ofNanos(System.nanoTime() - process.startedNanos).toSeconds(),
					exitHint(status)));
		}
		if (slot.replacement != null) {
			// A rollout was replacing it anyway; the replacement takes over when ready
			slot.idleState = WorkerState.RESTARTING;
			return;
		}
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
		// The first respawn is immediate; only a worker that keeps exiting is held back
		Duration delay = slot.nextBackoff;
		slot.idleState = WorkerState.RESTARTING;
		slot.respawnAtNanos = System.nanoTime() + delay.toNanos();
		slot.nextBackoff = delay.isZero() ? this.settings.initialBackoff()
				: min(delay.multipliedBy(2), this.settings.maxBackoff());
		logger.info("Restarting worker %d in %d ms".formatted(slot.id, delay.toMillis()));
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private void onReplacementFailed(WorkerSlot slot, WorkerProcess process, int status) {
		String reason = "the replacement for worker %d, pid %d, %s".formatted(slot.id, process.pid,
				describeBootFailure(process, status));
		logger.error("Rolling restart failed: %s. The old workers keep serving.".formatted(reason));
		if (this.rollout != null && this.rollout.isInProgress()) {
			this.rollout.fail(reason);
		}
		if (this.rollout != null) {
			this.rollout.inFlight.remove(slot.id);
		}
		if (slot.current == null && !this.shuttingDown && !slot.removing) {
			scheduleRespawn(slot);
		}
	}

	// Control messages

	private void onConnected(ControlConnection connection) {
		WorkerSlot slot = this.slots.get(connection.workerId());
		WorkerProcess process = (slot != null) ? slot.process(connection.pid()) : null;
		if (process == null) {
			logger.warn("Rejected a control connection from pid %d claiming to be worker %d"
				.formatted(connection.pid(), connection.workerId()));
			connection.close();
			return;
		}
		process.connection = connection;
		connection.send(primaryMessage());
	}

	private void onMessage(ControlConnection connection, Message message) {
		WorkerSlot slot = this.slots.get(connection.workerId());
		WorkerProcess process = (slot != null) ? slot.process(connection.pid()) : null;
		if (process == null || process.connection != connection) {
			return;
		}
		switch (message.type()) {
			case "heartbeat" -> process.heartbeat(message.getLong("heapUsed"), message.getLong("heapMax"),
					message.getLong("requests"), message.getLong("inFlight"));
			case "ready" -> onReady(slot, process, message);
			case "failed" -> process.bootFailure = message.getString("reason");
			case "status" -> connection.reply(message, StatusReport.of(this));
			case "rollout" -> answer(connection, message, startRollout("rolling restart requested by worker "
					+ slot.id, List.copyOf(this.slots.keySet())));
			case "restart" -> answer(connection, message, restart(message.getInt("worker")));
			case "scale" -> answer(connection, message, scale(message.getInt("workers")));
			case "publish" -> publish(slot, connection, message);
			case "scrape-all" -> scrapeAll(slot, process, connection, message);
			case "scrape-result" -> forwardScrape(slot, message);
			default -> {
				logger.warn("Ignoring unknown message '%s' from %s".formatted(message.type(), slot.describe(process)));
				connection.replyError(message, CommandResult.INVALID,
						"unknown message type '" + message.type() + "'");
			}
		}
	}

	private void answer(ControlConnection connection, Message request, CommandResult result) {
		if (result.accepted()) {
			connection.reply(request, Message.of("accepted", "detail", result.detail()));
		}
		else {
			connection.replyError(request, result.code(), result.detail());
		}
	}

	private void onReady(WorkerSlot slot, WorkerProcess process, Message message) {
		if (!process.isStarting()) {
			return;
		}
		process.state = WorkerState.READY;
		process.readyNanos = System.nanoTime();
		process.build = (message.get("build") instanceof Map<?, ?>) ? message.getMap("build") : null;
		this.consecutiveBootFailures = 0;
		logger.info("%s is ready (booted in %d ms)".formatted(slot.describe(process),
				Duration.ofNanos(process.readyNanos - process.startedNanos).toMillis()));
		if (process == slot.replacement) {
			promote(slot, process);
		}
		if (!this.announcedReady && this.slots.values().stream().allMatch((s) -> s.state() == WorkerState.READY)) {
			this.announcedReady = true;
			logger.info("Cluster ready: %d worker(s) serving port %d in %d ms".formatted(this.slots.size(),
					this.socket.port(), Duration.ofNanos(System.nanoTime() - this.startedNanos).toMillis()));
			this.footprint.shrink(System.nanoTime());
		}
	}

	/**
	 * The replacement is ready: it takes over the id, and only now is its predecessor
	 * told to stop, so the cluster never serves with one worker fewer.
	 */
	private void promote(WorkerSlot slot, WorkerProcess replacement) {
		WorkerProcess previous = slot.current;
		slot.current = replacement;
		slot.replacement = null;
		if (previous != null) {
			previous.stop();
			slot.retired.add(previous);
			logger.info("Worker %d: pid %d took over from pid %d, which is stopping".formatted(slot.id,
					replacement.pid, previous.pid));
		}
		if (this.rollout != null) {
			this.rollout.completed(slot.id);
			if (this.rollout.state == Rollout.State.SUCCEEDED) {
				logger.info("Rolling restart complete: " + this.rollout.describe());
				this.footprint.shrink(System.nanoTime());
			}
		}
	}

	private void onDisconnected(ControlConnection connection) {
		WorkerSlot slot = this.slots.get(connection.workerId());
		WorkerProcess process = (slot != null) ? slot.process(connection.pid()) : null;
		if (process != null && process.connection == connection) {
			process.connection = null;
		}
	}

	// Commands

	private CommandResult startRollout(String trigger, List<Integer> ids) {
		if (this.shuttingDown) {
			return CommandResult.conflict("the cluster is shutting down");
		}
		if (this.rollout != null && this.rollout.isInProgress()) {
			return CommandResult.conflict("a rolling restart is already in progress: " + this.rollout.describe()
					+ ", started at " + this.rollout.startedAt);
		}
		if (this.slots.values().stream().anyMatch((slot) -> slot.removing)) {
			return CommandResult.conflict("workers are still being removed after scaling down");
		}
		this.rollout = new Rollout(trigger, ids, this.settings.rolloutBatchSize(), "rollout");
		logger.info("Rolling restart of worker(s) %s started (%s), %d at a time".formatted(ids, trigger,
				this.settings.rolloutBatchSize()));
		return CommandResult.accepted("rolling restart of worker(s) " + ids + " started");
	}

	private CommandResult restart(int id) {
		if (!this.slots.containsKey(id)) {
			return CommandResult.notFound("no worker with id " + id + "; the cluster has workers "
					+ this.slots.keySet());
		}
		return startRollout("restart of worker " + id + " requested", List.of(id));
	}

	private CommandResult scale(int workers) {
		int max = this.settings.maxWorkers();
		if (workers < 1 || workers > max) {
			return CommandResult.invalid("the number of workers must be from 1 to " + max + ", not " + workers);
		}
		if (this.shuttingDown) {
			return CommandResult.conflict("the cluster is shutting down");
		}
		if (this.rollout != null && this.rollout.isInProgress()) {
			return CommandResult.conflict("a rolling restart is in progress: " + this.rollout.describe());
		}
		if (this.slots.values().stream().anyMatch((slot) -> slot.removing)) {
			return CommandResult.conflict("workers are still being removed after the last scale-down");
		}
		int previous = this.desiredWorkers;
		this.desiredWorkers = workers;
		for (int id = this.slots.size() + 1; id <= workers; id++) {
			this.slots.put(id, new WorkerSlot(id));
		}
		for (WorkerSlot slot : List.copyOf(this.slots.descendingMap().values())) {
			if (slot.id <= workers) {
				break;
			}
			slot.removing = true;
			slot.lastReplacementReason = "scale";
			slot.processes().filter((process) -> process.state != WorkerState.STOPPING).forEach(WorkerProcess::stop);
			if (slot.processes().findAny().isEmpty()) {
				this.slots.remove(slot.id);
			}
		}
		logger.info("Scaling from %d to %d worker(s)".formatted(previous, workers));
		return CommandResult.accepted("scaling from " + previous + " to " + workers + " worker(s)");
	}

	// Messaging between workers and the primary worker

	/**
	 * Relay a worker's message to one worker or, without a target, to every ready worker
	 * (the sender included), once each.
	 */
	private void publish(WorkerSlot sender, ControlConnection connection, Message message) {
		Object to = message.get("to");
		List<WorkerSlot> targets;
		if (to == null) {
			targets = List.copyOf(this.slots.values());
		}
		else {
			WorkerSlot target = this.slots.get(message.getInt("to"));
			if (target == null) {
				connection.replyError(message, CommandResult.NOT_FOUND,
						"no worker with id " + to + "; the cluster has workers " + this.slots.keySet());
				return;
			}
			targets = List.of(target);
		}
		Message delivery = Message.of("message", "from", sender.id, "payloadType", message.getString("payloadType"),
				"payload", message.getString("payload"));
		long delivered = targets.stream().filter((target) -> sendToReady(target, delivery)).count();
		connection.reply(message, Message.of("delivered", "delivered", delivered));
	}

	/**
	 * Ask every ready worker for its metrics on behalf of one of them. The master only
	 * relays: the answers go back to the requester one by one, which merges them.
	 */
	private void scrapeAll(WorkerSlot requester, WorkerProcess requesterProcess, ControlConnection connection,
			Message message) {
		Message scrape = Message.of("scrape", "scrapeId", message.getString("scrapeId"), "requesterWorker",
				requester.id, "requesterPid", requesterProcess.pid);
		List<Integer> asked = this.slots.values()
			.stream()
			.filter((slot) -> sendToReady(slot, scrape))
			.map((slot) -> slot.id)
			.toList();
		connection.reply(message, Message.of("scraping", "workers", asked));
	}

	/**
	 * Send a message to the current process of a slot if it is ready.
	 * @return whether it was sent
	 */
	private boolean sendToReady(WorkerSlot slot, Message message) {
		WorkerProcess process = slot.current;
		return process != null && process.state == WorkerState.READY && process.connection != null
				&& process.connection.send(message);
	}

	private void forwardScrape(WorkerSlot sender, Message result) {
		WorkerSlot requester = this.slots.get(result.getInt("requesterWorker"));
		WorkerProcess process = (requester != null) ? requester.process(result.getLong("requesterPid")) : null;
		if (process != null && process.connection != null) {
			process.connection.send(Message.of("scrape-part", "scrapeId", result.getString("scrapeId"), "worker",
					sender.id, "text", result.getString("text")));
		}
	}

	/**
	 * Keep exactly one ready worker primary, for one-worker-only jobs. The role sticks to
	 * its process until that process is no longer the ready current process of its id
	 * (it exited, was replaced, hung or is being removed); then the ready worker with
	 * the lowest id takes it, and every worker is told.
	 */
	private void electPrimary() {
		if (isPrimaryEligible(this.primaryPid)) {
			return;
		}
		long elected = this.shuttingDown ? 0 : this.slots.values()
			.stream()
			.map((slot) -> slot.current)
			.filter((process) -> process != null && isPrimaryEligible(process.pid))
			.mapToLong((process) -> process.pid)
			.findFirst()
			.orElse(0);
		if (elected != this.primaryPid) {
			this.primaryPid = elected;
			Message primary = primaryMessage();
			this.slots.values()
				.stream()
				.flatMap(WorkerSlot::processes)
				.filter((process) -> process.connection != null)
				.forEach((process) -> process.connection.send(primary));
			if (elected != 0) {
				logger.info("Worker %d (pid %d) is now the primary worker".formatted(primaryWorkerId(), elected));
			}
		}
	}

	private boolean isPrimaryEligible(long pid) {
		if (pid == 0 || this.shuttingDown) {
			return false;
		}
		return this.slots.values()
			.stream()
			.anyMatch((slot) -> !slot.removing && slot.current != null && slot.current.pid == pid
					&& slot.current.state == WorkerState.READY && !slot.current.hung);
	}

	private Message primaryMessage() {
		return Message.of("primary", "pid", this.primaryPid);
	}

	@Nullable Integer primaryWorkerId() {
		return this.slots.values()
			.stream()
			.filter((slot) -> slot.current != null && slot.current.pid == this.primaryPid)
			.map((slot) -> slot.id)
			.findFirst()
			.orElse(null);
	}

	// Timers

	private void tick() {
		long now = System.nanoTime();
		if (this.shuttingDown) {
			if (!this.killedAfterTimeout && now - this.shutdownDeadlineNanos >= 0) {
				this.killedAfterTimeout = true;
				logger.warn("Workers still running after cluster.shutdown-timeout (%d s): killing them"
					.formatted(this.settings.shutdownTimeout().toSeconds()));
				killAllWorkers();
			}
			return;
		}
		for (WorkerSlot slot : this.slots.values()) {
			for (WorkerProcess process : new WorkerProcess[] { slot.current, slot.replacement }) {
				if (process != null && process.isStarting() && !process.killedForReadyTimeout
						&& now - process.startedNanos >= this.settings.readyTimeout().toNanos()) {
					process.killedForReadyTimeout = true;
					logger.error("%s is not ready after %d s (cluster.worker.ready-timeout): killing it"
						.formatted(slot.describe(process), this.settings.readyTimeout().toSeconds()));
					process.process.destroyForcibly();
				}
			}
		}
		if (now - this.sampledNanos >= SAMPLE_INTERVAL_NANOS) {
			this.sampledNanos = now;
			this.rssBytes = ProcessMetrics.rssBytes(ProcessHandle.current().pid());
			this.footprint.shrinkIfGrown(this.rssBytes, now);
			this.slots.values().stream().flatMap(WorkerSlot::processes).forEach(WorkerProcess::sample);
			recycleOneIfDue();
		}
		watchHeartbeats(now);
		advanceRollout();
		for (WorkerSlot slot : this.slots.values()) {
			if (startingCount() >= this.settings.startConcurrency()) {
				return;
			}
			boolean due = slot.current == null && slot.replacement == null && !slot.removing && (slot.idleState == WorkerState.PENDING
					|| slot.idleState == WorkerState.RESTARTING && now - slot.respawnAtNanos >= 0);
			if (due) {
				slot.current = start(slot);
			}
		}
	}

	/**
	 * A ready worker that sent no heartbeat for the watchdog timeout is hung (a JVM
	 * frozen in GC, stopped, or out of threads): get a thread dump for its log, then kill
	 * it; the exit handling starts a replacement.
	 */
	private void watchHeartbeats(long now) {
		long timeout = this.settings.watchdogTimeout().toNanos();
		if (timeout == 0) {
			return;
		}
		for (WorkerSlot slot : this.slots.values()) {
			WorkerProcess process = slot.current;
			if (process == null || process.state != WorkerState.READY) {
				continue;
			}
			if (!process.hung && now - process.lastHeartbeatNanos >= timeout) {
				process.hung = true;
				process.hungAtNanos = now;
				logger.error(("%s sent no heartbeat for %d s (cluster.worker.timeout): requesting a thread dump "
						+ "(SIGQUIT, printed by the worker below), then killing and replacing it")
					.formatted(slot.describe(process), this.settings.watchdogTimeout().toSeconds()));
				ProcessSignals.requestThreadDump(process.pid);
			}
			else if (process.hung && now - process.hungAtNanos >= THREAD_DUMP_GRACE_NANOS) {
				process.process.destroyForcibly();
			}
		}
	}

	/**
	 * Replace, gracefully and one at a time, a worker that served its max-requests or
	 * grew past max-memory. Waits while any rollout is in progress.
	 */
	private void recycleOneIfDue() {
		if (this.rollout != null && this.rollout.isInProgress()) {
			return;
		}
		for (WorkerSlot slot : this.slots.values()) {
			WorkerProcess process = slot.current;
			if (slot.removing || process == null || process.state != WorkerState.READY) {
				continue;
			}
			String why = null;
			if (process.requestLimit > 0 && process.requests >= process.requestLimit) {
				why = "served %d requests (cluster.worker.max-requests)".formatted(process.requests);
			}
			else if (this.settings.maxMemoryBytes() > 0 && process.rssBytes >= this.settings.maxMemoryBytes()) {
				why = "uses %d MB of memory (cluster.worker.max-memory: %d MB)".formatted(
						process.rssBytes / (1024 * 1024), this.settings.maxMemoryBytes() / (1024 * 1024));
			}
			if (why != null) {
				this.rollout = new Rollout("recycle worker " + slot.id + ": " + why, List.of(slot.id), 1, "recycle");
				logger.info("Recycling %s: it %s".formatted(slot.describe(process), why));
				return;
			}
		}
	}

	private void advanceRollout() {
		Rollout rollout = this.rollout;
		if (rollout == null || !rollout.isInProgress()) {
			return;
		}
		while (rollout.inFlight.size() < rollout.batchSize && !rollout.pending.isEmpty()) {
			int id = rollout.pending.poll();
			WorkerSlot slot = this.slots.get(id);
			if (slot == null || slot.current == null || slot.current.state != WorkerState.READY) {
				// Not serving now; when it starts again it runs the new code anyway
				rollout.inFlight.add(id);
				rollout.completed(id);
				continue;
			}
			rollout.inFlight.add(id);
			slot.lastReplacementReason = rollout.replacementReason;
			slot.replacement = start(slot);
		}
	}

	private long startingCount() {
		return this.slots.values().stream().flatMap(WorkerSlot::processes).filter(WorkerProcess::isStarting).count();
	}

	private @Nullable WorkerProcess start(WorkerSlot slot) {
		WorkerIdentity identity = new WorkerIdentity(slot.id, this.controlDirectory.socketPath(), this.secret,
				ProcessHandle.current().pid());
		WorkerCommand command = (this.classDataSharing != null) ? this.classDataSharing.workerCommand() : this.command;
		ProcessBuilder builder = new ProcessBuilder(command.commandLine(this.programArguments));
		builder.environment().putAll(identity.toEnvironment());
		if (this.classDataSharing != null) {
			// Workers on the extracted copy report the jar that was deployed
			builder.environment().put(WorkerIdentity.APPLICATION_JAR_VARIABLE, this.classDataSharing.jar().getPath());
		}
		builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
		builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
		builder.redirectError(ProcessBuilder.Redirect.INHERIT);
		WorkerProcess process;
		try {
			process = new WorkerProcess(builder.start(), requestLimit());
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
			return null;
		}
		if (slot.everStarted) {
			slot.restarts++;
			String reason = (slot.lastReplacementReason != null) ? slot.lastReplacementReason : "unknown";
			this.replacements.merge(reason, 1L, Long::sum);
		}
		slot.everStarted = true;
		process.process.onExit().thenRun(() -> this.events.add(new MasterEvent.WorkerExited(slot, process)));
		logger.info("Started %s".formatted(slot.describe(process)));
		return process;
	}

	private long requestLimit() {
		if (this.settings.maxRequests() == 0) {
			return 0;
		}
		long jitter = this.settings.maxRequestsJitter();
		return this.settings.maxRequests() + ((jitter > 0) ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0);
	}

	// Read by StatusReport, on the event loop

	Map<Integer, WorkerSlot> slots() {
		return this.slots;
	}

	ClusterSettings settings() {
		return this.settings;
	}

	int desiredWorkers() {
		return this.desiredWorkers;
	}

	Instant startedAt() {
		return this.startedAt;
	}

	long rssBytes() {
		return this.rssBytes;
	}

	Map<String, Long> replacements() {
		return this.replacements;
	}

	@Nullable ListeningSocket socket() {
		return this.socket;
	}

	@Nullable Rollout rollout() {
		return this.rollout;
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
