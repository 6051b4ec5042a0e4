package io.github.clusterstarter.worker;

import java.util.List;

import io.github.clusterstarter.socket.ThreadAffinity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ServingCpu}. Pinning itself is tested on a child process
 * ({@code ThreadAffinityTests}) and in a real cluster ({@code CpuAffinityIT}), so that the
 * test JVM keeps every CPU.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServingCpuTests {

	@Test
	void workerNTakesTheNthAllowedCpuAndTheIdsStartOverPastTheLast() {
		List<Integer> allowed = List.of(2, 5, 7);
		assertThat(ServingCpu.cpuOf(1, allowed)).isEqualTo(2);
		assertThat(ServingCpu.cpuOf(2, allowed)).isEqualTo(5);
		assertThat(ServingCpu.cpuOf(3, allowed)).isEqualTo(7);
		assertThat(ServingCpu.cpuOf(4, allowed)).isEqualTo(2);
		assertThat(ServingCpu.cpuOf(8, allowed)).isEqualTo(5);
	}

	@Test
	void noneLeavesEveryThreadOnEveryCpu(CapturedOutput output) {
		List<Integer> before = ThreadAffinity.ofCallingThread();
		ServingCpu.take(CpuAffinity.NONE, 1);
		assertThat(ThreadAffinity.ofCallingThread()).isEqualTo(before);
		assertThat(output).doesNotContain("CPU");
	}

}
