package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.clusterstarter.control.ClusterSecret;
import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import io.github.clusterstarter.socket.ProcNiceness;
import io.github.clusterstarter.socket.ThreadNiceness;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link ProcessWorkerLauncher}.
 */
class ProcessWorkerLauncherTests {

	private static final WorkerIdentity IDENTITY = new WorkerIdentity(3, Path.of("/tmp/boot-cluster-1/control.sock"),
			ClusterSecret.generate(), 4242, Path.of("/tmp/boot-cluster-sessions-0/8080"));

	private static final BackgroundBoot NORMAL_ONLY = BackgroundBoot.of(0);

	@Test
	void startsTheWorkerCommandWithItsIdentityAndTheMastersStandardStreams() {
		WorkerCommand command = WorkerCommand.of("/opt/java/bin/java",
				List.of("-Xmx512m", "-agentlib:jdwp=transport=dt_socket,address=5005", "-jar", "app.jar", "--x=1"),
				List.of("-Xss512k"));
		ProcessWorkerLauncher launcher = new ProcessWorkerLauncher(command, List.of("--server.port=0"), null, NORMAL_ONLY,
				Map.of());
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

	@Test
	void optionsFromTheEnvironmentThatClashAreLeftOutOrMadePerProcess() {
		WorkerCommand command = WorkerCommand.of("java", List.of("-jar", "app.jar"), List.of());
		ProcessWorkerLauncher launcher = new ProcessWorkerLauncher(command, List.of(), null, NORMAL_ONLY,
				Map.of("JAVA_TOOL_OPTIONS", " -agentlib:jdwp=transport=dt_socket,server=y,address=*:5005  -Xss1m ",
						"JDK_JAVA_OPTIONS", "-Xrunjdwp:transport=dt_socket -Dcom.sun.management.jmxremote.port=9010"));
		ProcessBuilder builder = launcher.processBuilder(IDENTITY);
		assertThat(builder.environment()).containsEntry("JAVA_TOOL_OPTIONS", "-Xss1m")
			.doesNotContainKey("JDK_JAVA_OPTIONS");
		assertThat(launcher.droppedOptions()).containsExactly(
				"-agentlib:jdwp=transport=dt_socket,server=y,address=*:5005 from JAVA_TOOL_OPTIONS",
				"-Xrunjdwp:transport=dt_socket from JDK_JAVA_OPTIONS",
				"-Dcom.sun.management.jmxremote.port=9010 from JDK_JAVA_OPTIONS");
	}

	@Test
	void aFlightRecordingToOneFileFromTheEnvironmentIsRefusedNamingItsSource() {
		WorkerCommand command = WorkerCommand.of("java", List.of("-jar", "app.jar"), List.of());
		Map<String, String> environment = Map.of("JAVA_TOOL_OPTIONS",
				"-XX:StartFlightRecording=duration=60s,filename=/var/log/app.jfr");
		if (Runtime.version().feature() >= 25) {
			ProcessWorkerLauncher launcher = new ProcessWorkerLauncher(command, List.of(), null, NORMAL_ONLY, environment);
			assertThat(launcher.processBuilder(IDENTITY).environment()).containsEntry("JAVA_TOOL_OPTIONS",
					"-XX:StartFlightRecording=duration=60s,filename=/var/log/app-%p.jfr");
		}
		else {
			assertThatExceptionOfType(ClusterConfigurationException.class)
				.isThrownBy(() -> new ProcessWorkerLauncher(command, List.of(), null, NORMAL_ONLY, environment))
				.withMessage("The JVM option -XX:StartFlightRecording=duration=60s,filename=/var/log/app.jfr (from "
						+ "JAVA_TOOL_OPTIONS) makes every worker write its flight recording to the same file, "
						+ "/var/log/app.jfr.");
		}
	}

	@Test
	void signalsByPidReachOnlyTheProcessItStarted() throws Exception {
		WorkerCommand command = WorkerCommand.of("/bin/sleep", List.of("60"), List.of());
		ProcessWorkerLauncher launcher = new ProcessWorkerLauncher(command, List.of(), null, NORMAL_ONLY, Map.of());
		WorkerJvm alive = launcher.launch(IDENTITY, BootPriority.NORMAL);
		WorkerJvm gone = launcher.launch(IDENTITY, BootPriority.NORMAL);
		CountDownLatch exited = new CountDownLatch(1);
		gone.onExit(exited::countDown);
		gone.kill();
		assertThat(exited.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(gone.requestThreadDump()).as("a process that exited").isFalse();
		assertThat(alive.requestThreadDump()).as("the live process").isTrue();
		alive.kill();
	}

	@Test
	void aWorkerThatBootsInTheBackgroundStartsAtARaisedNiceValueAndIsToldTheMastersToTakeBack() throws Exception {
		assumeTrue(ThreadNiceness.canLowerBack(), "needs a process that may lower a nice value again");
		int master = ThreadNiceness.ofCallingThread();
		WorkerCommand command = WorkerCommand.of("/bin/sleep", List.of("60"), List.of());
		ProcessWorkerLauncher launcher = new ProcessWorkerLauncher(command, List.of(), null, BackgroundBoot.of(7),
				Map.of());
		WorkerJvm background = launcher.launch(IDENTITY, BootPriority.BACKGROUND);
		try {
			WorkerJvm normal = launcher.launch(IDENTITY, BootPriority.NORMAL);
			try {
				assertThat(ProcNiceness.ofProcess(background.pid())).isEqualTo(master + 7);
				assertThat(environment(background.pid()))
					.contains(WorkerIdentity.SERVING_NICENESS_VARIABLE + "=" + master);
				assertThat(ProcNiceness.ofProcess(normal.pid())).isEqualTo(master);
				assertThat(environment(normal.pid())).noneMatch(
						(variable) -> variable.startsWith(WorkerIdentity.SERVING_NICENESS_VARIABLE));
				assertThat(ThreadNiceness.ofCallingThread()).as("the master's thread").isEqualTo(master);
			}
			finally {
				normal.kill();
			}
		}
		finally {
			background.kill();
		}
	}

	@Test
	void withoutARaiseEveryWorkerStartsAtTheMastersNiceValue() throws Exception {
		WorkerCommand command = WorkerCommand.of("/bin/sleep", List.of("60"), List.of());
		ProcessWorkerLauncher launcher = new ProcessWorkerLauncher(command, List.of(), null, NORMAL_ONLY, Map.of());
		WorkerJvm background = launcher.launch(IDENTITY, BootPriority.BACKGROUND);
		try {
			assertThat(ProcNiceness.ofProcess(background.pid())).isEqualTo(ThreadNiceness.ofCallingThread());
			assertThat(environment(background.pid()))
				.noneMatch((variable) -> variable.startsWith(WorkerIdentity.SERVING_NICENESS_VARIABLE));
		}
		finally {
			background.kill();
		}
	}

	private static List<String> environment(long pid) throws IOException {
		return List.of(Files.readString(Path.of("/proc/" + pid + "/environ")).split("\0"));
	}

}
