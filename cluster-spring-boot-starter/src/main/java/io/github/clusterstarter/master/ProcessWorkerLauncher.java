package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.socket.ProcessSignals;
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

	/**
	 * Create a launcher.
	 * @param command the command line of the workers
	 * @param programArguments the arguments that the master's {@code main} received
	 * @param cdsDirectory where class data sharing archives are kept, or {@code null} when
	 * class data sharing is off
	 */
	ProcessWorkerLauncher(WorkerCommand command, List<String> programArguments, @Nullable Path cdsDirectory) {
		this.command = command;
		this.programArguments = List.copyOf(programArguments);
		this.classDataSharing = (cdsDirectory != null)
				? ClassDataSharing.of(command, this.programArguments, cdsDirectory) : null;
	}

	@Override
	public WorkerJvm launch(WorkerIdentity identity) throws IOException {
		return new ChildProcess(processBuilder(identity).start());
	}

	ProcessBuilder processBuilder(WorkerIdentity identity) {
		ClassDataSharing classDataSharing = this.classDataSharing;
		WorkerCommand command = (classDataSharing != null) ? classDataSharing.workerCommand() : this.command;
		ProcessBuilder builder = new ProcessBuilder(command.commandLine(this.programArguments));
		builder.environment().putAll(identity.toEnvironment());
		if (classDataSharing != null) {
			// Workers on the extracted copy report the jar that was deployed
			builder.environment().put(WorkerIdentity.APPLICATION_JAR_VARIABLE, classDataSharing.jar().getPath());
		}
		builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
		builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
		builder.redirectError(ProcessBuilder.Redirect.INHERIT);
		return builder;
	}

	@Override
	public List<String> droppedOptions() {
		return this.command.droppedOptions();
	}

	@Override
	public void close() {
		ClassDataSharing classDataSharing = this.classDataSharing;
		if (classDataSharing != null) {
			classDataSharing.close();
		}
	}

	/**
	 * A worker that is a child process of this one.
	 */
	private record ChildProcess(Process process) implements WorkerJvm {

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
			return ProcessSignals.requestThreadDump(this.process.pid());
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
