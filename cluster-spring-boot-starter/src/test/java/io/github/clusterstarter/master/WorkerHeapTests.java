package io.github.clusterstarter.master;

import java.lang.reflect.Proxy;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link WorkerHeap}.
 */
class WorkerHeapTests {

	private static final long GB = 1L << 30;

	@Test
	void aHeapFlagThatThisJvmDoesNotHaveCountsAsNotSet() {
		// Java 25 has no MaxRAMFraction: asking for it must not stop the master from starting
		HotSpotDiagnosticMXBean vm = (HotSpotDiagnosticMXBean) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { HotSpotDiagnosticMXBean.class }, (proxy, method, arguments) -> {
					throw new IllegalArgumentException("VM option \"" + arguments[0] + "\" does not exist");
				});
		assertThat(WorkerHeap.isSet(vm, "MaxRAMFraction")).isFalse();
	}

	@Test
	void fourWorkersUnderTwoGigabytesShareOneGigabyteOfHeap() {
		assertThat(WorkerHeap.share(2 * GB, 4)).isEqualTo(256L << 20);
	}

	@Test
	void sharesAreWholeMegabytesAndNeverAddUpToMoreThanHalf() {
		long memory = 3 * GB + 12345;
		long share = WorkerHeap.share(memory, 7);
		assertThat(share % (1 << 20)).isZero();
		assertThat(share * 7).isLessThanOrEqualTo(memory / 2);
	}

	@Test
	void aWorkerCountWhoseHeapsCannotFitFailsWithTheFigures() {
		assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(() -> WorkerHeap.share(GB / 4, 4))
			.withMessage("4 workers do not fit in 256 MB of memory: their heaps may take half of it together, "
					+ "32 MB each, and a worker needs at least 64 MB.")
			.satisfies((ex) -> assertThat(ex.getAction()).startsWith("Run at most 2 worker(s) (cluster.workers), "
					+ "give the container or -XX:MaxRAM at least 512 MB"));
	}

	@Test
	void memoryIsMaxRamWhenSetElseTheMachineAtMostTheDefaultMaxRam() {
		assertThat(WorkerHeap.memory(true, 2 * GB, 24 * GB)).isEqualTo(2 * GB);
		assertThat(WorkerHeap.memory(false, 128 * GB, 24 * GB)).isEqualTo(24 * GB);
		assertThat(WorkerHeap.memory(false, 128 * GB, 256 * GB)).isEqualTo(128 * GB);
	}

}
