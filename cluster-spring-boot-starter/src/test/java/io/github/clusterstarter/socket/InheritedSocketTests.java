package io.github.clusterstarter.socket;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InheritedSocketTests {

	@Test
	void testJvmHasNoInheritedSocket() {
		assertThat(InheritedSocket.listeningChannel()).isEmpty();
	}

	@Test
	void preloadNativeLoadsTheLibrary() {
		assertThat(InheritedSocket.preloadNative()).succeedsWithin(Duration.ofSeconds(30));
		assertThat(LibC.get().strerror(98)).isEqualTo("Address already in use");
	}

	@Test
	void socketMovedToStandardInputIsInheritedByChildProcesses() throws Exception {
		Process master = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", testClassPath(), StandardInputSocketMain.class.getName(), "master"))
			.redirectErrorStream(true)
			.start();
		try {
			assertThat(master.waitFor(60, TimeUnit.SECONDS)).as("master exited").isTrue();
			String output = new String(master.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(master.exitValue()).as(output).isZero();
			assertThat(output.lines()).as(output)
				.contains("master inherited=true", "master portMatches=true", "worker inherited=true",
						"worker portMatches=true", "worker accepted=true", "worker restored", "worker exit=0",
						"master closed stdin=true")
				.anyMatch((line) -> line.matches("master fd=0 port=\\d+ stdin=true"))
				.doesNotContain("worker lost");
		}
		finally {
			master.destroyForcibly();
		}
	}

	private static String testClassPath() {
		String classPath = System.getProperty("surefire.test.class.path");
		return (classPath != null) ? classPath : System.getProperty("java.class.path");
	}

}
