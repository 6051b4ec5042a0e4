package io.github.clusterstarter.socket;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.sun.jna.LastErrorException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link ThreadAffinity}: what the test's own JVM may use, and the threads of
 * a child process, so that the test JVM stays on every CPU.
 */
class ThreadAffinityTests {

	@Test
	void theCallingThreadsCpusAreTheOnesItsStatusLists() throws IOException {
		assertThat(ThreadAffinity.ofCallingThread()).isEqualTo(ProcCpus.ofCallingThread());
	}

	@Test
	void everyThreadMovesAlsoThoseStartedWhileTheyAreMoved() throws Exception {
		List<Integer> cpus = ThreadAffinity.ofCallingThread();
		assumeTrue(cpus.size() >= 2, "needs two CPUs");
		int last = cpus.get(cpus.size() - 1);
		Process child = startThreadSpawner();
		try {
			ThreadAffinity.setEveryThread(child.pid(), List.of(last));
			assertThat(ProcCpus.ofEveryThread(child.pid())).containsOnly(List.of(last));
			// The ones started since inherit it
			Thread.sleep(100);
			assertThat(ProcCpus.ofEveryThread(child.pid())).containsOnly(List.of(last));
			ThreadAffinity.setEveryThread(child.pid(), List.of(cpus.get(0)));
			assertThat(ProcCpus.ofEveryThread(child.pid())).containsOnly(List.of(cpus.get(0)));
			ThreadAffinity.setEveryThread(child.pid(), cpus);
			assertThat(ProcCpus.ofEveryThread(child.pid())).containsOnly(cpus);
		}
		finally {
			child.destroyForcibly().waitFor();
		}
		assertThat(ThreadAffinity.ofCallingThread()).isEqualTo(cpus);
	}

	@Test
	void aCpuTheProcessMayNotUseIsRefusedAndNothingMoves() throws Exception {
		List<Integer> cpus = ThreadAffinity.ofCallingThread();
		int absent = cpus.get(cpus.size() - 1) + 1;
		assumeTrue(!Files.exists(Path.of("/sys/devices/system/cpu/cpu" + absent)), "needs a CPU number with no CPU");
		Process child = startThreadSpawner();
		try {
			assertThatExceptionOfType(LastErrorException.class)
				.isThrownBy(() -> ThreadAffinity.setEveryThread(child.pid(), List.of(absent)))
				.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(LibC.EINVAL));
			assertThat(ProcCpus.ofEveryThread(child.pid())).containsOnly(cpus);
		}
		finally {
			child.destroyForcibly().waitFor();
		}
	}

	@Test
	void noCpuOrOneBeyondACpuSetIsRefusedBeforeAnyCall() {
		assertThatIllegalArgumentException().isThrownBy(() -> ThreadAffinity.setEveryThread(1, List.of()));
		assertThatIllegalArgumentException().isThrownBy(() -> ThreadAffinity.setEveryThread(1, List.of(0, 1024)))
			.withMessage("CPU 1024 is beyond the 1024 CPUs a cpu_set_t holds");
		assertThatIllegalArgumentException().isThrownBy(() -> ThreadAffinity.setEveryThread(1, List.of(-1)));
	}

	@Test
	void aProcessThatIsGoneCannotBeMoved() throws Exception {
		Process child = new ProcessBuilder("true").start();
		child.waitFor();
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> ThreadAffinity.setEveryThread(child.pid(), List.of(0)))
			.withMessageContaining("Cannot list the threads of process " + child.pid());
	}

	private static Process startThreadSpawner() throws IOException {
		Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), ThreadSpawningMain.class.getName())
			.redirectErrorStream(true)
			.start();
		BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
		assertThat(output.readLine()).isEqualTo("spawning");
		return child;
	}

}
