package io.github.clusterstarter.diagnostics;

import java.util.List;

import io.github.clusterstarter.socket.ThreadAffinity;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PinnedCpus}.
 */
class PinnedCpusTests {

	@Test
	void aQuotaBelowTheCpusOfTheMaskIsReported() {
		assertThat(PinnedCpus.check(List.of(0, 1, 2, 3, 4, 5, 6, 7), 2)).hasValueSatisfying((warning) -> assertThat(warning)
			.startsWith("cluster.worker.cpu-affinity=auto pins each worker to one of the 8 CPUs this process may run "
					+ "on, but its CPU quota (a container's CPU limit) gives it the time of 2"));
	}

	@Test
	void cpusTheClusterHasToItselfAreNot() {
		assertThat(PinnedCpus.check(List.of(2, 3), 2)).isEmpty();
		// -XX:ActiveProcessorCount above the mask
		assertThat(PinnedCpus.check(List.of(0), 4)).isEmpty();
	}

	@Test
	void nothingIsCheckedWithoutAutoAffinity() {
		assertThat(PinnedCpus.check(new MockEnvironment())).isEmpty();
		assertThat(PinnedCpus.check(new MockEnvironment().withProperty("cluster.worker.cpu-affinity", "none")))
			.isEmpty();
	}

	@Test
	void thisMachinesOwnCpusAreReadWithAuto() {
		MockEnvironment auto = new MockEnvironment().withProperty("cluster.worker.cpu-affinity", "auto");
		boolean quotaBelowMask = Runtime.getRuntime().availableProcessors() < ThreadAffinity.ofCallingThread().size();
		assertThat(PinnedCpus.check(auto).isPresent()).isEqualTo(quotaBelowMask);
	}

}
