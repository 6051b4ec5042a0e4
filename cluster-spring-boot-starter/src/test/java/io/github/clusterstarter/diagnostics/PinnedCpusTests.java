package io.github.clusterstarter.diagnostics;

import java.util.List;

import org.junit.jupiter.api.Test;

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
		assertThat(PinnedCpus.check(List.of(0, 1), 4)).isEmpty();
	}

	@Test
	void oneCpuHasNothingToSpread() {
		assertThat(PinnedCpus.check(List.of(3), 1)).contains(
				"cluster.worker.cpu-affinity=auto has nothing to spread: this process may run on CPU 3 only, and so do "
						+ "its workers");
	}

	@Test
	void nothingIsCheckedWithoutAutoAffinity() {
		assertThat(PinnedCpus.check(List.of())).isEmpty();
	}

}
