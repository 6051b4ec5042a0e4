package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Replaces the master itself without a dropped connection ({@code SIGUSR2}, as in
 * Unicorn and Gunicorn): this master starts a new one from its own command line, read
 * again from {@code /proc/self/cmdline}, so that a jar replaced at the same path, new JVM
 * options in the environment and new {@code cluster.*} settings all take effect. The new
 * master inherits the listening socket as its standard input, starts its own workers and,
 * once they are ready, sends this master {@code SIGTERM}: this master then stops its
 * workers gracefully without closing the socket to new connections, which the new
 * workers keep accepting. A new master that exits before it is ready leaves this one
 * serving.
 */
final class MasterUpgrade {

	private static final Log logger = LogFactory.getLog(MasterUpgrade.class);

	/**
	 * The variable that tells a new master the pid of the master it replaces.
	 */
	static final String FROM_VARIABLE = "BOOT_CLUSTER_UPGRADE_FROM";

	private final long pid;

	private final @Nullable ProcessHandle predecessor;

	private @Nullable Process successor;

	private boolean tookOver;

	MasterUpgrade(long pid, Map<String, String> environment) {
		this.pid = pid;
		this.predecessor = replacesParent(environment) ? ProcessHandle.current().parent().orElse(null) : null;
	}

	/**
	 * Start the new master.
	 * @return the outcome
	 */
	CommandResult start() {
		Process running = this.successor;
		if (running != null && running.isAlive()) {
			return CommandResult.conflict("the new master (pid %d) is starting".formatted(running.pid()));
		}
		if (this.pid == 1) {
			// The container ends with its first process
			return CommandResult.conflict("this master is the first process (PID 1) of its container or PID "
					+ "namespace, which would end with it: replace the container (roll the pod) instead");
		}
		try {
			List<String> command = new ArrayList<>();
			command.add(ProcessHandle.current().info().command().orElseThrow());
			String arguments = Files.readString(Path.of("/proc/self/cmdline"), StandardCharsets.UTF_8);
			List<String> commandLine = List.of(arguments.split("\0"));
			command.addAll(commandLine.subList(1, commandLine.size()));
			ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
			builder.environment().put(FROM_VARIABLE, Long.toString(this.pid));
			Process process = builder.start();
			OrphanReaper.started(process);
			this.successor = process;
			logger.info("Upgrading the master: started a new master (pid %d) from this master's command line; this "
				.formatted(process.pid()) + "master stops its workers once the new one's are ready");
			return CommandResult.accepted("new master (pid %d) started".formatted(process.pid()));
		}
		catch (IOException | RuntimeException ex) {
			logger.error("Cannot start a new master; this master keeps serving", ex);
			return CommandResult.conflict("cannot start a new master: " + ex);
		}
	}

	/**
	 * Return whether a new master runs that takes over from this one.
	 * @return whether it runs
	 */
	boolean isHandingOver() {
		return this.successor != null && this.successor.isAlive();
	}

	/**
	 * Notice a new master that exited before it took over.
	 */
	void checkSuccessor() {
		Process successor = this.successor;
		if (successor != null && !successor.isAlive()) {
			this.successor = null;
			logger.error(("The new master (pid %d) exited with status %d before its workers were ready; this master "
					+ "keeps serving. Its output above says why.").formatted(successor.pid(), successor.exitValue()));
		}
	}

	/**
	 * Return whether this master replaces the one that started it, and inherits its
	 * listening socket as standard input.
	 * @param environment this master's environment
	 * @return whether it replaces its parent
	 */
	static boolean replacesParent(Map<String, String> environment) {
		String from = environment.get(FROM_VARIABLE);
		Optional<ProcessHandle> parent = ProcessHandle.current().parent();
		return from != null && parent.isPresent() && from.equals(Long.toString(parent.get().pid()));
	}

	/**
	 * Return the listener for this master's shutdown. A master that replaces another
	 * leaves the shared socket admitting until it has taken over: if it gives up before,
	 * its predecessor's workers must keep getting connections.
	 * @param listener the socket's listener
	 * @return the listener to use
	 */
	SharedListener listener(SharedListener listener) {
		if (this.predecessor == null) {
			return listener;
		}
		SharedListener beforeTakeOver = SharedListener.handedOver(listener);
		return new SharedListener() {

			@Override
			public void stopAdmitting() {
				(MasterUpgrade.this.tookOver ? listener : beforeTakeOver).stopAdmitting();
			}

			@Override
			public int queuedConnections() {
				return (MasterUpgrade.this.tookOver ? listener : beforeTakeOver).queuedConnections();
			}

			@Override
			public void close() {
				listener.close();
			}

		};
	}

	/**
	 * Take over from the master this one replaces, if any, once this master's workers
	 * are ready: tell it to stop its workers.
	 */
	void takeOver() {
		ProcessHandle predecessor = this.predecessor;
		if (predecessor != null && !this.tookOver) {
			this.tookOver = true;
			logger.info("Workers ready: telling the previous master (pid %d) to stop its workers"
				.formatted(predecessor.pid()));
			predecessor.destroy();
		}
	}

}
