package io.github.clusterstarter.master;

import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What each signal asks of the master, as a shell user sends it with {@code kill}: stop
 * ({@code TERM}, {@code INT}), roll the workers ({@code HUP}), add or remove one
 * ({@code TTIN}, {@code TTOU}), upgrade the master ({@code USR2}).
 */
final class SignalCommands {

	/**
	 * The signals the master handles.
	 */
	static final String[] NAMES = { "TERM", "INT", "HUP", "TTIN", "TTOU", "USR2" };

	private static final Log logger = LogFactory.getLog(SignalCommands.class);

	private final WorkerPool pool;

	private final Shutdown shutdown;

	private final RollingRestarts rollouts;

	private final Scaling scaling;

	private final MasterUpgrade upgrade;

	SignalCommands(WorkerPool pool, Shutdown shutdown, RollingRestarts rollouts, Scaling scaling,
			MasterUpgrade upgrade) {
		this.pool = pool;
		this.shutdown = shutdown;
		this.rollouts = rollouts;
		this.scaling = scaling;
		this.upgrade = upgrade;
	}

	/**
	 * Carry out what a signal asks.
	 * @param name the signal's name, without {@code SIG}
	 */
	void handle(String name) {
		switch (name) {
			case "TERM", "INT" -> this.shutdown.signalled("SIG" + name, this.upgrade.isHandingOver());
			case "USR2" -> logOutcome("SIGUSR2", this.upgrade::start);
			case "HUP" -> logOutcome("SIGHUP", () -> this.rollouts.restartAll("SIGHUP"));
			case "TTIN" -> logOutcome("SIGTTIN", () -> this.scaling.scaleTo(this.pool.desired() + 1));
			case "TTOU" -> logOutcome("SIGTTOU", () -> this.scaling.scaleTo(this.pool.desired() - 1));
			default -> logger.debug("Ignoring SIG" + name);
		}
	}

	private void logOutcome(String trigger, Supplier<CommandResult> command) {
		CommandResult result = command.get();
		if (result.accepted()) {
			logger.info("%s: %s".formatted(trigger, result.detail()));
		}
		else {
			logger.warn("%s ignored: %s".formatted(trigger, result.detail()));
		}
	}

}
