package io.github.clusterstarter.master;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TrainingRun}, with a real process in place of {@code java}.
 */
class TrainingRunTests {

	@TempDir
	Path temp;

	@Test
	void stopKillsTheRunningProcessAndStartsNoOther() throws Exception {
		Path pidFile = this.temp.resolve("pid");
		Path java = this.temp.resolve("java");
		Files.writeString(java, "#!/bin/sh\necho $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp " + pidFile
				+ "\nexec sleep 60\n");
		Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
		TrainingRun training = new TrainingRun(new WorkerCommand(java.toString(), List.of(), List.of(), List.of()),
				List.of());
		CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
			try {
				training.run(new File("app.jar"), this.temp.resolve("app"), this.temp.resolve("app/app.jar"),
						this.temp.resolve("app.jsa"), this.temp);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex.getMessage());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		long pid = await().atMost(Duration.ofSeconds(10))
			.until(() -> Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).trim()) : null,
					(value) -> value != null);
		ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
		try {
			training.stop();
			await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
			await().atMost(Duration.ofSeconds(10)).until(run::isDone);
			assertThat(run).failsWithin(Duration.ZERO)
				.withThrowableOfType(ExecutionException.class)
				.withMessageContaining("extract stopped with the master");
			assertThat(this.temp.resolve("training-run.log")).doesNotExist();
		}
		finally {
			process.destroyForcibly();
		}
	}

}
