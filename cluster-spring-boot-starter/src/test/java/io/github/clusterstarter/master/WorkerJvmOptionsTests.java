package io.github.clusterstarter.master;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerJvmOptions}.
 */
class WorkerJvmOptionsTests {

	private static final long EIGHT_GB = 8L << 30;

	@Test
	void warnsWhenTheHeapsOfAllWorkersDoNotFit() {
		assertThat(WorkerJvmOptions.heapWarning(List.of("-Xms1g", "-Xmx3g"), 4, EIGHT_GB))
			.isEqualTo("Each of the 4 workers may grow its heap to 3072 MB (-Xmx): 12288 MB together, more than the "
					+ "8192 MB of memory this machine or container has. Size -Xmx for one worker's share, for example "
					+ "with cluster.worker.jvm-args=-Xmx1024m");
		assertThat(WorkerJvmOptions.heapWarning(List.of("-XX:MaxHeapSize=4294967296"), 3, EIGHT_GB)).isNotNull();
	}

	@Test
	void isQuietWhenTheyFitOrNoMaximumIsSet() {
		assertThat(WorkerJvmOptions.heapWarning(List.of("-Xmx2g"), 4, EIGHT_GB)).isNull();
		assertThat(WorkerJvmOptions.heapWarning(List.of("-Xmx512m", "-Xss1m"), 16, EIGHT_GB)).isNull();
		assertThat(WorkerJvmOptions.heapWarning(List.of("-Xss1m"), 16, EIGHT_GB)).isNull();
	}

	@Test
	void debugAgentsAndJmxPortsAreLeftOut() {
		assertThat(WorkerJvmOptions.forWorker("-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "x")).isNull();
		assertThat(WorkerJvmOptions.forWorker("-Dcom.sun.management.jmxremote.port=9010", "x")).isNull();
		assertThat(WorkerJvmOptions.forWorker("-Xmx1g", "x")).isEqualTo("-Xmx1g");
	}

}
