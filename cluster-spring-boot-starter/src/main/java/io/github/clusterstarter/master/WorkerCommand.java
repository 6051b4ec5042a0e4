package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The command line that starts a worker: the master's own java executable, JVM options,
 * jar or class path and main class, and program arguments.
 * <p>
 * The JVM options and the launch target come from the master's own command line as the
 * kernel holds it, so that nothing is lost to quoting; the program arguments come from
 * {@code main}'s arguments. Options that only one process at a time can use (a debug
 * agent's port, a JMX port) are left out, because every worker would clash over them.
 *
 * @param executable the java executable
 * @param jvmOptions the JVM options
 * @param target the launch target: {@code -jar app.jar}, {@code -m module/main} or a main
 * class
 * @param droppedOptions the master's options that the workers do not get
 */
record WorkerCommand(String executable, List<String> jvmOptions, List<String> target, List<String> droppedOptions) {

	/**
	 * Launcher options whose value is the next argument.
	 */
	private static final Set<String> OPTIONS_WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p",
			"--module-path", "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-reads",
			"--add-exports", "--add-opens", "--patch-module", "--enable-native-access");

	/**
	 * Derive the worker command from the command line of this process, read from
	 * {@code /proc/self/cmdline}: {@link ProcessHandle.Info#arguments()} comes back empty
	 * for long command lines, such as those with a long class path.
	 * @param extraJvmOptions options to add after the copied ones
	 * @return the worker command
	 * @throws IllegalStateException if the command line cannot be read
	 */
	static WorkerCommand ofCurrentProcess(List<String> extraJvmOptions) {
		List<String> commandLine;
		try {
			String raw = Files.readString(Path.of("/proc/self/cmdline"), StandardCharsets.UTF_8);
			commandLine = List.of(raw.split("\0"));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read this JVM's command line from /proc/self/cmdline", ex);
		}
		String executable = ProcessHandle.current().info().command()
			.orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
		return of(executable, commandLine.subList(1, commandLine.size()), extraJvmOptions);
	}

	/**
	 * Derive the worker command from the master's command line.
	 * @param executable the java executable of the master
	 * @param arguments the master's arguments after the executable
	 * @param extraJvmOptions options to add after the copied ones
	 * @return the worker command
	 * @throws IllegalStateException if the launch target cannot be found
	 */
	static WorkerCommand of(String executable, List<String> arguments, List<String> extraJvmOptions) {
		List<String> jvmOptions = new ArrayList<>();
		List<String> dropped = new ArrayList<>();
		for (int i = 0; i < arguments.size(); i++) {
			String argument = arguments.get(i);
			if (argument.equals("-jar") || argument.equals("-m") || argument.equals("--module")) {
				requireValue(arguments, i);
				jvmOptions.addAll(extraJvmOptions);
				return new WorkerCommand(executable, jvmOptions, List.of(argument, arguments.get(i + 1)), dropped);
			}
			if (argument.startsWith("--module=") || !argument.startsWith("-") && !argument.startsWith("@")) {
				jvmOptions.addAll(extraJvmOptions);
				return new WorkerCommand(executable, jvmOptions, List.of(argument), dropped);
			}
			if (OPTIONS_WITH_VALUE.contains(argument)) {
				requireValue(arguments, i);
				jvmOptions.add(argument);
				jvmOptions.add(arguments.get(++i));
			}
			else {
				String workerOption = WorkerJvmOptions.forWorker(argument, "the command line");
				if (workerOption != null) {
					jvmOptions.add(workerOption);
				}
				if (!argument.equals(workerOption)) {
					dropped.add(WorkerJvmOptions.describe(argument, workerOption));
				}
			}
		}
		throw new IllegalStateException("Cannot find the main class or jar in the command line " + arguments);
	}

	private static void requireValue(List<String> arguments, int index) {
		if (index + 1 >= arguments.size()) {
			throw new IllegalStateException(
					"Option " + arguments.get(index) + " has no value in the command line " + arguments);
		}
	}

	/**
	 * Return this command with {@code -XX:+ExitOnOutOfMemoryError} added, unless the JVM
	 * options already say what to do on an {@code OutOfMemoryError}.
	 * @return the command
	 */
	WorkerCommand withOutOfMemoryExit() {
		boolean decided = this.jvmOptions.stream().anyMatch((option) -> option.contains("OnOutOfMemoryError"));
		if (decided) {
			return this;
		}
		return withJvmOption("-XX:+ExitOnOutOfMemoryError");
	}

	/**
	 * Return this command with a JVM option added after the others.
	 * @param option the option
	 * @return the command
	 */
	WorkerCommand withJvmOption(String option) {
		List<String> options = new ArrayList<>(this.jvmOptions);
		options.add(option);
		return new WorkerCommand(this.executable, options, this.target, this.droppedOptions);
	}

	/**
	 * Return the full command line for the given program arguments.
	 * @param programArguments the arguments to pass to {@code main}
	 * @return the command line
	 */
	List<String> commandLine(List<String> programArguments) {
		List<String> command = new ArrayList<>();
		command.add(this.executable);
		command.addAll(this.jvmOptions);
		command.addAll(this.target);
		command.addAll(programArguments);
		return Collections.unmodifiableList(command);
	}

}
