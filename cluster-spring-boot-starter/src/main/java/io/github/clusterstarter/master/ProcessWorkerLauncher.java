package io.github.clusterstarter.master;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.socket.ChildEnvironment;
import io.github.clusterstarter.socket.ProcessSignals;
import io.github.clusterstarter.socket.ThreadAffinity;
import org.jspecify.annotations.Nullable;

/**
 * Starts workers as child processes with the master's own command line (or its class data
 * sharing variant), their identity in environment variables, and the master's standard
 * input, output and error: standard input is the shared listening socket.
 */
final class ProcessWorkerLauncher implements WorkerLauncher {

	private final WorkerCommand command;

	private final List<String> programArguments;

	private final @Nullable ClassDataSharing classDataSharing;

	private final BackgroundBoot backgroundBoot;

	/**
	 * The workers' values of the variables whose JVM options every JVM reads, {@code null}
	 * for a variable a worker must not have.
	 */
	private final Map<String, @Nullable String> jvmOptionVariables = new LinkedHashMap<>();

	private final List<String> droppedOptions = new ArrayList<>();

	/**
	 * Create a launcher.
	 * @param command the command line of the workers
	 * @param programArguments the arguments that the master's {@code main} received
	 * @param cdsDirectory where class data sharing archives are kept, or {@code null} when
	 * class data sharing is off
	 * @param backgroundBoot how workers boot in the background
	 */
	ProcessWorkerLauncher(WorkerCommand command, List<String> programArguments,
			PrivateDirectory.@Nullable Location cdsDirectory, BackgroundBoot backgroundBoot) {
		this(command, programArguments, cdsDirectory, backgroundBoot, System.getenv());
	}

	/**
	 * Create a launcher.
	 * @param command the command line of the workers
	 * @param programArguments the arguments that the master's {@code main} received
	 * @param cdsDirectory where class data sharing archives are kept, or {@code null} when
	 * class data sharing is off
	 * @param backgroundBoot how workers boot in the background
	 * @param environment the master's environment
	 * @throws io.github.clusterstarter.diagnostics.ClusterConfigurationException if an
	 * option of the environment cannot be given to the workers
	 */
	ProcessWorkerLauncher(WorkerCommand command, List<String> programArguments,
			PrivateDirectory.@Nullable Location cdsDirectory, BackgroundBoot backgroundBoot,
			Map<String, String> environment) {
		this.command = command;
		this.backgroundBoot = backgroundBoot;
		this.droppedOptions.addAll(command.droppedOptions());
		for (String variable : WorkerJvmOptions.VARIABLES) {
			String options = environment.get(variable);
			if (options != null) {
				this.jvmOptionVariables.put(variable, forWorkers(variable, options));
			}
		}
		this.programArguments = List.copyOf(programArguments);
		this.classDataSharing = (cdsDirectory != null)
				? ClassDataSharing.of(command, this.programArguments, cdsDirectory) : null;
	}

	/**
	 * Return the command line of the workers: this process's, with the options the
	 * settings ask for.
	 * @param settings the cluster settings
	 * @return the worker command
	 */
	static WorkerCommand workerCommand(ClusterSettings settings) {
		// Lets workers keep the cluster's variables from the processes they start
		WorkerCommand command = WorkerCommand.ofCurrentProcess(settings.jvmArgs())
			.withJvmOption(ChildEnvironment.OPEN_JAVA_LANG);
		if (settings.exitOnOutOfMemory()) {
			command = command.withOutOfMemoryExit();
		}
		return WorkerHeap.size(command, settings.jvmArgs(), settings.workers());
	}

	@Override
	public WorkerJvm launch(WorkerIdentity identity, BootPriority priority) throws IOException {
		Process process = this.backgroundBoot.start(processBuilder(identity), priority);
		OrphanReaper.started(process);
		return new ChildProcess(process, process.toHandle().info().startInstant(), this.backgroundBoot);
	}

	ProcessBuilder processBuilder(WorkerIdentity identity) {
		ClassDataSharing classDataSharing = this.classDataSharing;
		WorkerCommand command = (classDataSharing != null) ? classDataSharing.workerCommand() : this.command;
		ProcessBuilder builder = new ProcessBuilder(command.commandLine(this.programArguments));
		builder.environment().putAll(identity.toEnvironment());
		// What systemd tells the master is not meant for the workers
		builder.environment().keySet().removeAll(SocketActivation.VARIABLES);
		builder.environment().keySet().removeAll(ServiceManager.VARIABLES);
		builder.environment().remove(MasterUpgrade.FROM_VARIABLE);
		this.jvmOptionVariables.forEach((variable, options) -> {
			if (options != null) {
				builder.environment().put(variable, options);
			}
			else {
				builder.environment().remove(variable);
			}
		});
		if (classDataSharing != null) {
			// Workers on the extracted copy report the jar that was deployed
			builder.environment().put(WorkerIdentity.APPLICATION_JAR_VARIABLE, classDataSharing.jar().getPath());
		}
		builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
		builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
		builder.redirectError(ProcessBuilder.Redirect.INHERIT);
		return builder;
	}

	private @Nullable String forWorkers(String variable, String options) {
		List<String> workerOptions = new ArrayList<>();
		for (String option : options.trim().split("\\s+")) {
			String workerOption = WorkerJvmOptions.forWorker(option, variable);
			if (workerOption != null) {
				workerOptions.add(workerOption);
			}
			if (!option.equals(workerOption)) {
				this.droppedOptions.add(WorkerJvmOptions.describe(option, workerOption) + " from " + variable);
			}
		}
		return workerOptions.isEmpty() ? null : String.join(" ", workerOptions);
	}

	@Override
	public List<String> droppedOptions() {
		return List.copyOf(this.droppedOptions);
	}

	@Override
	public void close() {
		ClassDataSharing classDataSharing = this.classDataSharing;
		if (classDataSharing != null) {
			classDataSharing.close();
		}
	}

	/**
	 * A worker that is a child process of this one. {@link Process} signals only a
	 * process it has not reaped; a signal sent by pid checks first that the pid still
	 * names the same process, not one that was given the pid after it.
	 *
	 * @param process the process
	 * @param startedAt when the kernel says the process started
	 * @param backgroundBoot how the process was started
	 */
	private record ChildProcess(Process process, Optional<Instant> startedAt,
			BackgroundBoot backgroundBoot) implements WorkerJvm {

		@Override
		public long pid() {
			return this.process.pid();
		}

		@Override
		public void stop() {
			this.process.destroy();
		}

		@Override
		public void kill() {
			this.process.destroyForcibly();
		}

		@Override
		public boolean requestThreadDump() {
			return isSameProcess() && ProcessSignals.requestThreadDump(this.process.pid());
		}

		private boolean isSameProcess() {
			Optional<Instant> startedAt = this.process.toHandle().info().startInstant();
			return this.process.isAlive() && startedAt.isPresent() && startedAt.equals(this.startedAt);
		}

		@Override
		public void takeServingPriority() {
			if (isSameProcess()) {
				this.backgroundBoot.takeServingPriority(this.process.pid());
			}
		}

		@Override
		public void runOn(List<Integer> cpus) {
			if (isSameProcess()) {
				ThreadAffinity.setEveryThread(this.process.pid(), cpus);
			}
		}

		@Override
		public int exitStatus() {
			return this.process.exitValue();
		}

		@Override
		public void onExit(Runnable action) {
			this.process.onExit().thenRun(action);
		}

	}

}
