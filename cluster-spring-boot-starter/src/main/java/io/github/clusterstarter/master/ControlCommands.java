package io.github.clusterstarter.master;

import java.time.Duration;
import java.util.function.Supplier;

import io.github.clusterstarter.control.ControlConnection;
import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.Frame;
import io.github.clusterstarter.status.ClusterStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Handles the messages workers send to the master, one handler per message: what a worker
 * reports about itself (heartbeat, ready, failed) and what it asks for (status, rolling
 * restart, restart, scale, publish, scrape). Answers go back on the connection the request
 * came in on.
 */
final class ControlCommands {

	private static final Log logger = LogFactory.getLog(ControlCommands.class);

	private final WorkerPool pool;

	private final WorkerConnections connections;

	private final RespawnPolicy respawns;

	private final RollingRestarts rollouts;

	private final Scaling scaling;

	private final MessageRelay relay;

	private final StandbyWorkers standbys;

	private final Supplier<ClusterStatus> status;

	private final Supplier<CommandResult> upgrade;

	private final MasterClock clock;

	ControlCommands(WorkerPool pool, WorkerConnections connections, RespawnPolicy respawns, RollingRestarts rollouts,
			Scaling scaling, MessageRelay relay, StandbyWorkers standbys, Supplier<ClusterStatus> status,
			Supplier<CommandResult> upgrade, MasterClock clock) {
		this.pool = pool;
		this.connections = connections;
		this.respawns = respawns;
		this.rollouts = rollouts;
		this.scaling = scaling;
		this.relay = relay;
		this.standbys = standbys;
		this.status = status;
		this.upgrade = upgrade;
		this.clock = clock;
	}

	/**
	 * Handle a message from a worker.
	 * @param connection the connection it arrived on
	 * @param frame the message
	 */
	void handle(ControlConnection connection, Frame<ControlMessage.WorkerMessage> frame) {
		WorkerProcess process = this.connections.sender(connection, frame);
		if (process == null) {
			return;
		}
		ControlMessage.WorkerMessage message = frame.message();
		if (message instanceof ControlMessage.Hello) {
			this.connections.reject(connection, frame, "its connection was already welcomed");
		}
		else if (message instanceof ControlMessage.Heartbeat heartbeat) {
			process.heartbeat(heartbeat, this.clock.nanoTime(), this.clock.instant());
		}
		else if (message instanceof ControlMessage.Ready ready) {
			ready(process, ready);
		}
		else if (message instanceof ControlMessage.Failed failed) {
			process.bootFailure = failed.reason();
		}
		else if (message instanceof ControlMessage.StatusRequest) {
			answer(connection, frame, new ControlMessage.Status(this.status.get()));
		}
		else if (message instanceof ControlMessage.RolloutRequest) {
			answer(connection, frame,
					this.rollouts.restartAll("rolling restart requested by worker " + process.workerId).answer());
		}
		else if (message instanceof ControlMessage.UpgradeRequest) {
			answer(connection, frame, this.upgrade.get().answer());
		}
		else if (message instanceof ControlMessage.RestartRequest restart) {
			answer(connection, frame, this.rollouts.restart(restart.worker()).answer());
		}
		else if (message instanceof ControlMessage.ScaleRequest scale) {
			answer(connection, frame, this.scaling.scaleTo(scale.workers()).answer());
		}
		else if (message instanceof ControlMessage.Publish publish) {
			answer(connection, frame, this.relay.publish(process, publish, frame.body()));
		}
		else if (message instanceof ControlMessage.ScrapeAll scrapeAll) {
			answer(connection, frame, this.relay.scrapeAll(process, scrapeAll));
		}
		else if (message instanceof ControlMessage.ScrapeResult result) {
			this.relay.forwardScrape(process, result, frame.body());
		}
	}

	private void ready(WorkerProcess process, ControlMessage.Ready ready) {
		if (!process.isStarting()) {
			return;
		}
		WorkerSlot slot = this.pool.slotOf(process);
		if (slot == null) {
			process.build = ready.build();
			this.standbys.ready(process);
			return;
		}
		process.ready(ready.build(), this.clock.nanoTime());
		this.respawns.bootSucceeded();
		logger.info("%s is ready (booted in %d ms)".formatted(process.describe(),
				Duration.ofNanos(process.readyNanos - process.startedNanos).toMillis()));
		if (process == slot.replacement) {
			this.rollouts.promote(slot, process);
		}
	}

	private void answer(ControlConnection connection, Frame<ControlMessage.WorkerMessage> request,
			ControlMessage.MasterMessage answer) {
		if (request.isRequest()) {
			connection.reply(request, answer);
		}
	}

}
