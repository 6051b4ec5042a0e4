package io.github.clusterstarter.master;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import io.github.clusterstarter.control.ClusterSecret;
import io.github.clusterstarter.control.ControlConnection;
import io.github.clusterstarter.control.ControlDirectory;
import io.github.clusterstarter.control.ControlServer;
import io.github.clusterstarter.control.ErrorCode;
import io.github.clusterstarter.control.Frame;
import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.socket.ListeningSocket;
import io.github.clusterstarter.status.ClusterStatus;
import io.github.clusterstarter.status.WorkerState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import sun.misc.Signal;

/**
 * The cluster master: binds the shared listening socket, starts the workers and keeps
 * them running until it is told to stop. It never creates the application's context.
 * <p>
 * Everything the master does happens on one thread, in its event loop: signals, worker
 * exits and control messages arrive as events on a queue, each is dispatched to the
 * policy it concerns, and timers advance between events. An event whose handling fails
 * is logged and the loop carries on; the master ends on {@code SIGTERM} or {@code SIGINT},
 * or when workers keep failing to boot.
 */
public final class ClusterMaster {

	private static final Log logger = LogFactory.getLog(ClusterMaster.class);

	private static final long IDLE_WAKEUP_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final int MAX_EVENTS_PER_TURN = 64;

	private final ClusterSettings settings;

	private final WorkerLauncher launcher;

	private final MasterClock clock;

	private final MasterFootprint footprint;

	private final BlockingQueue<MasterEvent> events = new LinkedBlockingQueue<>();

	private final long pid = ProcessHandle.current().pid();

	private final long startedNanos;

	private final WorkerPool pool;

	private final RollingRestarts rollouts;

	private final Scaling scaling;

	private final Shutdown shutdown;

	private final RespawnPolicy respawns;

	private final StandbyWorkers standbys;

	private final Watchdog watchdog;

	private final BackgroundBootDeadline backgroundBoots;

	private final ServingCpus servingCpus;

	private final ProcessSampler sampler;

	private final Recycling recycling;

	private final PrimaryElection primary;

	private final WorkerConnections connections;

	private final StatusReport statusReport;

	private final ControlCommands commands;

	private final SignalCommands signals;

	private final ServiceNotifications notifications;

	private final OrphanReaper reaper;

	private final MasterUpgrade upgrade;

	private @Nullable MasterAddress address;

	private boolean announcedReady;

	ClusterMaster(ClusterSettings settings, WorkerLauncher launcher, MasterClock clock, ProcessSampler.Source metrics,
			MasterFootprint footprint, RandomGenerator random, ServiceManager serviceManager) {
		this.settings = settings;
		this.launcher = launcher;
		this.clock = clock;
		this.footprint = footprint;
		this.startedNanos = clock.nanoTime();
		Instant startedAt = clock.instant();
		this.pool = new WorkerPool(settings.workers());
		WorkerStarter starter = new WorkerStarter(this.pool, launcher, clock, this::identity, this.events::add);
		this.rollouts = new RollingRestarts(this.pool, starter, footprint, clock, settings.rolloutBatchSize());
		this.scaling = new Scaling(this.pool, this.rollouts, settings.maxWorkers(), clock, metrics);
		this.shutdown = new Shutdown(this.pool, this.rollouts, clock, settings.shutdownTimeout(),
				settings.shutdownDelay());
		this.respawns = new RespawnPolicy(this.pool, starter, this.rollouts, this.shutdown, clock, settings);
		this.standbys = new StandbyWorkers(this.pool, starter, this.rollouts, clock, settings);
		this.backgroundBoots = new BackgroundBootDeadline(this.pool, settings.readyTimeout());
		this.servingCpus = new ServingCpus(this.pool, settings.servingCpus());
		this.watchdog = new Watchdog(this.pool, settings.readyTimeout(), settings.watchdogTimeout(),
				settings.stopTimeout());
		this.sampler = new ProcessSampler(this.pool, metrics, footprint, this.pid);
		this.recycling = new Recycling(this.pool, this.rollouts, settings, random);
		this.primary = new PrimaryElection(this.pool);
		this.connections = new WorkerConnections(this.pool, this.primary);
		this.statusReport = new StatusReport(this.pool, this.rollouts, starter, this.primary, this.sampler, clock,
				this.pid, startedAt);
		this.upgrade = new MasterUpgrade(this.pid, System.getenv());
		this.commands = new ControlCommands(this.pool, this.connections, this.respawns, this.rollouts, this.scaling,
				new MessageRelay(this.pool), this.standbys, this::status, this.upgrade::start, clock);
		this.signals = new SignalCommands(this.pool, this.shutdown, this.rollouts, this.scaling, this.upgrade);
		this.notifications = new ServiceNotifications(this.pool, this.rollouts, serviceManager, this.pid,
				this.upgrade::isHandingOver);
		this.reaper = new OrphanReaper(this.pid, this.startedNanos);
	}

	/**
	 * Create a master that starts workers with the same command line as this process.
	 * @param settings the cluster settings
	 * @param programArguments the arguments that {@code main} received
	 * @return the master
	 */
	public static ClusterMaster forCurrentProcess(ClusterSettings settings, List<String> programArguments) {
		WorkerLauncher launcher = new ProcessWorkerLauncher(ProcessWorkerLauncher.workerCommand(settings),
				programArguments, settings.cdsDirectory(), BackgroundBoot.of(settings.bootNiceness()));
		return new ClusterMaster(settings, launcher, MasterClock.SYSTEM, ProcessSampler.PROC, new MasterFootprint(),
				new SplittableRandom(), ServiceManager.of(System.getenv(), ProcessHandle.current().pid()));
	}

	/**
	 * Run the cluster until it is told to stop or gives up.
	 * @return the exit status for the master process
	 */
	public int run() {
		ListeningSocket socket = SocketActivation.open(this.settings, System.getenv(), this.pid);
		socket.moveToStandardInput();
		ControlDirectory directory = ControlDirectory.create();
		ClusterSecret secret = ClusterSecret.generate();
		ControlServer server = new ControlServer(directory, secret, controlListener());
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			this.shutdown.killAll();
			this.launcher.close();
		}, "cluster-master-exit"));
		try {
			server.start();
			installSignalHandlers();
			start(new MasterAddress(socket.host(), socket.port(), directory.socketPath(), secret,
					SharedSessions.open(this.settings.sessionsDirectory(), socket.port())),
					this.upgrade.listener(SharedListener.of(socket)));
			while (!isFinished()) {
				turn();
			}
			logger.info("Cluster master stopped (exit status %d)".formatted(exitStatus()));
			return exitStatus();
		}
		finally {
			server.close();
			directory.delete();
			this.launcher.close();
			if (this.address != null && !this.upgrade.isHandingOver()) {
				// Not when a new master took over: its workers use the sessions
				SharedSessions.removeIfUnused(this.address.sessionsDirectory());
			}
		}
	}

	private void installSignalHandlers() {
		for (String name : SignalCommands.NAMES) {
			Signal.handle(new Signal(name), (signal) -> this.events.add(new MasterEvent.SignalReceived(name)));
		}
	}

	/**
	 * Begin supervising, once the sockets are bound: the first workers start at once.
	 * @param address where the cluster listens and the workers find the master
	 */
	void start(MasterAddress address, SharedListener listener) {
		this.address = address;
		this.shutdown.listener(listener);
		logger.info("Cluster master (pid %d) listening on %s:%d; starting %d worker(s), %d at a time".formatted(
				this.pid, address.host(), address.port(), this.pool.desired(), this.settings.startConcurrency()));
		if (!this.launcher.droppedOptions().isEmpty()) {
			logger.info("Workers do not get these per-process JVM options of the master: "
					+ this.launcher.droppedOptions());
		}
		// Not at the first timer, which may be a second away
		step(null);
	}

	// The event loop

	private @Nullable MasterEvent nextEvent() {
		try {
			return this.events.poll(nanosUntilNextTimer(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.shutdown.begin("interrupted", 0);
			return null;
		}
	}

	/**
	 * Wait for the next event, handle it and those queued behind it, up to
	 * {@link #MAX_EVENTS_PER_TURN}, then advance the timers once: under a flood of
	 * messages the timers advance once per batch instead of once per message.
	 */
	private void turn() {
		MasterEvent event = nextEvent();
		for (int handled = 1; event != null && handled < MAX_EVENTS_PER_TURN; handled++) {
			handle(event);
			event = this.events.poll();
		}
		step(event);
	}

	private long nanosUntilNextTimer() {
		long now = this.clock.nanoTime();
		long next = now + IDLE_WAKEUP_NANOS;
		next = this.respawns.nextDeadline(now, next);
		next = this.watchdog.nextDeadline(next);
		next = this.shutdown.nextDeadline(now, next);
		next = this.notifications.nextDeadline(next);
		return Math.max(0, next - now);
	}

	/**
	 * Take the next event, if one is queued, dispatch it and advance the timers: one turn
	 * of the event loop, without waiting.
	 * @return whether more events are queued
	 */
	boolean runOnce() {
		step(this.events.poll());
		return !this.events.isEmpty();
	}

	private void step(@Nullable MasterEvent event) {
		if (event != null) {
			handle(event);
		}
		advanceTimers();
		guard("electing the primary worker", this.primary::elect);
		guard("announcing readiness", this::announceReadyOnce);
		guard("the standby workers", this.standbys::advance);
		// After every start of this turn, so that no worker is pinned only to be let go at once
		guard("placing the serving workers on CPUs", this.servingCpus::advance);
		guard("notifying the service manager", () -> this.notifications.advance(this.clock.nanoTime()));
		guard("reaping orphans", () -> this.reaper.reapIfDue(this.clock.nanoTime()));
		guard("the master upgrade", this.upgrade::checkSuccessor);
	}

	private void handle(MasterEvent event) {
		try {
			dispatch(event);
		}
		catch (RuntimeException ex) {
			logger.error("Unexpected error handling %s; the master carries on".formatted(event), ex);
			if (event instanceof MasterEvent.Received received && received.frame().isRequest()) {
				answerInternalError(received.connection(), received.frame(), ex);
			}
		}
	}

	private void dispatch(MasterEvent event) {
		if (event instanceof MasterEvent.SignalReceived signal) {
			this.signals.handle(signal.name());
		}
		else if (event instanceof MasterEvent.WorkerExited exited) {
			WorkerSlot slot = this.pool.slotOf(exited.process());
			if (slot != null) {
				this.respawns.workerExited(slot, exited.process());
				this.scaling.workerExited(slot);
			}
			else {
				this.standbys.exited(exited.process());
			}
		}
		else if (event instanceof MasterEvent.Connected connected) {
			this.connections.connected(connected.connection());
		}
		else if (event instanceof MasterEvent.Received received) {
			this.commands.handle(received.connection(), received.frame());
		}
		else if (event instanceof MasterEvent.Disconnected disconnected) {
			this.connections.disconnected(disconnected.connection());
		}
	}

	private void answerInternalError(ControlConnection connection, Frame<?> request, RuntimeException failure) {
		try {
			connection.replyError(request, ErrorCode.INTERNAL, "the master failed to handle it: " + failure);
		}
		catch (RuntimeException ex) {
			logger.debug("Cannot answer %s with an error".formatted(request), ex);
		}
	}

	private void advanceTimers() {
		long now = this.clock.nanoTime();
		if (this.pool.isStopping()) {
			guard("the shutdown", () -> this.shutdown.advance(now));
			return;
		}
		guard("the watchdog", () -> this.watchdog.advance(now));
		guard("the background boots", () -> this.backgroundBoots.advance(now));
		guard("sampling and recycling", () -> {
			if (this.sampler.sampleIfDue(now)) {
				this.recycling.recycleOneIfDue();
			}
		});
		guard("the rolling restart", this.rollouts::advance);
		guard("starting workers", this.respawns::startDue);
	}

	private void guard(String what, Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			logger.error("Unexpected error in %s; the master carries on".formatted(what), ex);
		}
	}

	private void announceReadyOnce() {
		MasterAddress address = this.address;
		if (this.announcedReady || address == null || this.pool.isStopping()
				|| !this.pool.slots().stream().allMatch((slot) -> slot.state() == WorkerState.READY)) {
			return;
		}
		this.announcedReady = true;
		this.pool.started();
		this.upgrade.takeOver();
		logger.info("Cluster ready: %d worker(s) serving port %d in %d ms".formatted(this.pool.size(), address.port(),
				Duration.ofNanos(this.clock.nanoTime() - this.startedNanos).toMillis()));
		this.footprint.shrink(this.clock.nanoTime());
	}

	// What the policies need from the master

	private WorkerIdentity identity(int workerId) {
		MasterAddress address = requireStarted();
		return new WorkerIdentity(workerId, address.controlSocket(), address.secret(), this.pid,
				address.sessionsDirectory());
	}

	private ClusterStatus status() {
		return this.statusReport.of(requireStarted());
	}

	private MasterAddress requireStarted() {
		MasterAddress address = this.address;
		if (address == null) {
			throw new IllegalStateException("The master has not started");
		}
		return address;
	}

	// For run(), and for tests that drive the loop with runOnce()

	void post(MasterEvent event) {
		this.events.add(event);
	}

	ControlServer.Listener controlListener() {
		return new ControlEvents(this.events);
	}

	boolean isFinished() {
		return this.shutdown.isFinished();
	}

	int exitStatus() {
		return this.shutdown.exitStatus();
	}

}
