package io.github.clusterstarter.master;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.clusterstarter.control.WorkerIdentity;
import org.jspecify.annotations.Nullable;

/**
 * The processes that make an archive: {@code java -Djarmode=tools -jar app.jar extract},
 * then one run of the application from the extracted jar up to its context refresh (or
 * through its warm-up on a private port, as the run itself decides:
 * {@code ClassDataSharingTraining}), which writes the archive as it exits. That run
 * creates the application's singletons once more, so it does what their constructors and
 * initializers do (connects to databases, runs migrations, and so on). Each process is tracked, so that {@link #stop()} ends it with
 * the master, and given a deadline.
 */
final class TrainingRun {

	private static final long TIMEOUT_MINUTES = 5;

	private static final boolean AOT_CACHE = Runtime.version().feature() >= 25;

	private final WorkerCommand command;

	private final List<String> programArguments;

	private @Nullable Process current;

	private volatile boolean stopped;

	TrainingRun(WorkerCommand command, List<String> programArguments) {
		this.command = command;
		this.programArguments = programArguments;
	}

	/**
	 * Extract the jar and run the application once to write the archive.
	 * @param jar the application's jar
	 * @param extractTo the directory to extract it into
	 * @param extractedJar the extracted jar
	 * @param archive the file the archive is written to
	 * @param logs the directory for the processes' output
	 * @throws IOException if a process fails, takes too long or was stopped
	 * @throws InterruptedException if interrupted while waiting for a process
	 */
	void run(File jar, Path extractTo, Path extractedJar, Path archive, Path logs)
			throws IOException, InterruptedException {
		run("extract", List.of(this.command.executable(), "-Djarmode=tools", "-jar", jar.getPath(), "extract",
				"--destination", extractTo.toString()), logs);
		List<String> training = new ArrayList<>();
		training.add(this.command.executable());
		training.addAll(this.command.jvmOptions());
		training.add((AOT_CACHE ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + archive);
		// The training run itself decides where it stops (ClassDataSharingTraining)
		training.add("-jar");
		training.add(extractedJar.toString());
		training.addAll(this.programArguments);
		run("training run", training, logs);
	}

	private void run(String what, List<String> commandLine, Path logs) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(commandLine).redirectErrorStream(true)
			.redirectOutput(logs.resolve(what.replace(' ', '-') + ".log").toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		builder.environment().put(WorkerIdentity.CDS_TRAINING_VARIABLE, "true");
		Process process;
		synchronized (this) {
			if (this.stopped) {
				throw new IOException("the master is stopping");
			}
			process = builder.start();
			OrphanReaper.started(process);
			this.current = process;
		}
		try {
			if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
				throw new IOException(what + " took longer than " + TIMEOUT_MINUTES + " minutes");
			}
			if (process.exitValue() != 0) {
				throw new IOException(this.stopped ? what + " stopped with the master"
						: what + " failed with exit status " + process.exitValue());
			}
		}
		finally {
			process.destroyForcibly();
			synchronized (this) {
				this.current = null;
			}
		}
	}

	boolean isStopped() {
		return this.stopped;
	}

	/**
	 * Kill the running process, if any, and start no other.
	 */
	synchronized void stop() {
		this.stopped = true;
		Process process = this.current;
		if (process != null) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
	}

}
