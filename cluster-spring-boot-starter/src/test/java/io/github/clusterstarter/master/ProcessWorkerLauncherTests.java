package io.github.clusterstarter.master;

import java.nio.file.Path;
import java.util.List;

import io.github.clusterstarter.control.ClusterSecret;
import io.github.clusterstarter.control.WorkerIdentity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProcessWorkerLauncher}.
 */
class ProcessWorkerLauncherTests {

	private static final WorkerIdentity IDENTITY = new WorkerIdentity(3, Path.of("/tmp/boot-cluster-1/control.sock"),
			ClusterSecret.generate(), 4242);

	@Test
	void startsTheWorkerCommandWithItsIdentityAndTheMastersStandardStreams() {
		WorkerCommand command = WorkerCommand.of("/opt/java/bin/java",
				List.of("-Xmx512m", "-agentlib:jdwp=transport=dt_socket,address=5005", "-jar", "app.jar", "--x=1"),
				List.of("-Xss512k"));
		ProcessWorkerLauncher launcher = new ProcessWorkerLauncher(command, List.of("--server.port=0"), null);
		ProcessBuilder builder = launcher.processBuilder(IDENTITY);
		assertThat(builder.command()).containsExactly("/opt/java/bin/java", "-Xmx512m", "-Xss512k", "-jar", "app.jar",
				"--server.port=0");
		assertThat(builder.environment()).containsAllEntriesOf(IDENTITY.toEnvironment());
		assertThat(builder.environment()).doesNotContainKey(WorkerIdentity.APPLICATION_JAR_VARIABLE);
		assertThat(builder.redirectInput()).isEqualTo(ProcessBuilder.Redirect.INHERIT);
		assertThat(builder.redirectOutput()).isEqualTo(ProcessBuilder.Redirect.INHERIT);
		assertThat(builder.redirectError()).isEqualTo(ProcessBuilder.Redirect.INHERIT);
		assertThat(launcher.droppedOptions()).containsExactly("-agentlib:jdwp=transport=dt_socket,address=5005");
	}

}
