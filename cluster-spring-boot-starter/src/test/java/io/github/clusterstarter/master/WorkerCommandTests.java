package io.github.clusterstarter.master;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class WorkerCommandTests {

	@Test
	void copiesJarLaunch() {
		WorkerCommand command = WorkerCommand.of("/jdk/bin/java",
				List.of("-Xmx256m", "-Dname=two words", "-jar", "/opt/my app.jar", "--server.port=8080"), List.of());
		assertThat(command.commandLine(List.of("--a=b c")))
			.containsExactly("/jdk/bin/java", "-Xmx256m", "-Dname=two words", "-jar", "/opt/my app.jar", "--a=b c");
	}

	@Test
	void copiesClassPathLaunchWithOptionValues() {
		WorkerCommand command = WorkerCommand.of("java", List.of("-cp", "a.jar:b.jar", "--add-opens",
				"java.base/java.lang=ALL-UNNAMED", "com.example.App", "ignored"), List.of("-Xss512k"));
		assertThat(command.commandLine(List.of())).containsExactly("java", "-cp", "a.jar:b.jar", "--add-opens",
				"java.base/java.lang=ALL-UNNAMED", "-Xss512k", "com.example.App");
	}

	@Test
	void copiesModuleLaunch() {
		WorkerCommand command = WorkerCommand.of("java", List.of("-p", "mods", "-m", "app/com.example.App"),
				List.of());
		assertThat(command.target()).containsExactly("-m", "app/com.example.App");
		assertThat(command.jvmOptions()).containsExactly("-p", "mods");
	}

	@Test
	void dropsOptionsThatClashBetweenWorkers() {
		WorkerCommand command = WorkerCommand.of("java",
				List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
						"-Dcom.sun.management.jmxremote.port=9010", "-Dcom.sun.management.jmxremote.rmi.port=9011",
						"-Xmx1g", "-jar", "app.jar"),
				List.of());
		assertThat(command.jvmOptions()).containsExactly("-Xmx1g");
		assertThat(command.droppedOptions()).hasSize(3);
	}

	@Test
	void givesEachWorkerItsOwnLogAndHeapDumpFiles() {
		WorkerCommand command = WorkerCommand.of("java", List.of("-Xlog:gc*:file=/var/log/gc.log:time",
				"-Xlog:safepoint:/var/log/safepoint-%p.log", "-XX:HeapDumpPath=/dumps/app.hprof",
				"-XX:HeapDumpPath=/dumps", "-jar", "app.jar"), List.of());
		assertThat(command.jvmOptions()).containsExactly("-Xlog:gc*:file=/var/log/gc-%p.log:time",
				"-Xlog:safepoint:/var/log/safepoint-%p.log", "-XX:HeapDumpPath=/dumps/app-%p.hprof",
				"-XX:HeapDumpPath=/dumps");
		assertThat(command.droppedOptions()).containsExactly(
				"-Xlog:gc*:file=/var/log/gc.log:time (workers get -Xlog:gc*:file=/var/log/gc-%p.log:time)",
				"-XX:HeapDumpPath=/dumps/app.hprof (workers get -XX:HeapDumpPath=/dumps/app-%p.hprof)");
	}

	@Test
	void failsWithoutLaunchTarget() {
		assertThatIllegalStateException().isThrownBy(() -> WorkerCommand.of("java", List.of("-Xmx1g"), List.of()))
			.withMessageContaining("Cannot find the main class or jar");
		assertThatIllegalStateException().isThrownBy(() -> WorkerCommand.of("java", List.of("-jar"), List.of()))
			.withMessageContaining("Option -jar has no value");
	}

}
