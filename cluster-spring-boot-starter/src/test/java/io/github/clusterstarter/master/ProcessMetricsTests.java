package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProcessMetrics#cgroupRemaining}, on planted control group files.
 */
class ProcessMetricsTests {

	@TempDir
	Path mounts;

	@Test
	void theTightestLimitOnTheWayFromTheProcessesGroupToTheRootCountsInCgroupV2() throws IOException {
		group("", "max", "5000000");
		group("system.slice", "1000000", "400000");
		group("system.slice/app.service", "max", "300000");
		assertThat(remaining("0::/system.slice/app.service\n")).isEqualTo(600000);
	}

	@Test
	void theMemoryHierarchyOfCgroupV1IsRead() throws IOException {
		v1Group("", "9223372036854771712", "7000000");
		v1Group("process_api/one", "2000000", "500000");
		assertThat(remaining("4:memory:/process_api/one\n3:cpu,cpuacct:/\n")).isEqualTo(1500000);
	}

	@Test
	void aContainerSeesItsOwnGroupAsTheRoot() throws IOException {
		group("", "2147483648", "1073741824");
		assertThat(remaining("0::/\n")).isEqualTo(1073741824);
	}

	@Test
	void usageAboveTheLimitLeavesNothingRatherThanANegativeFigure() throws IOException {
		group("", "1000", "2000");
		assertThat(remaining("0::/\n")).isZero();
	}

	@Test
	void garbageMissingGroupsAndAPathLeavingTheMountAreNoLimit() throws IOException {
		group("", "not a number", "12");
		assertThat(remaining("0::/\n")).isEqualTo(Long.MAX_VALUE);
		assertThat(remaining("0::/no/such/group\n")).isEqualTo(Long.MAX_VALUE);
		assertThat(remaining("0::/../../etc\n")).isEqualTo(Long.MAX_VALUE);
		assertThat(remaining("nonsense\n\n::\n")).isEqualTo(Long.MAX_VALUE);
		assertThat(ProcessMetrics.cgroupRemaining(this.mounts.resolve("absent"), this.mounts))
			.isEqualTo(Long.MAX_VALUE);
	}

	private long remaining(String membership) throws IOException {
		Path file = Files.writeString(this.mounts.resolve("cgroup-of-process"), membership);
		return ProcessMetrics.cgroupRemaining(file, this.mounts);
	}

	private void group(String path, String max, String current) throws IOException {
		Path directory = Files.createDirectories(this.mounts.resolve(path));
		Files.writeString(directory.resolve("memory.max"), max + "\n");
		Files.writeString(directory.resolve("memory.current"), current + "\n");
	}

	private void v1Group(String path, String limit, String usage) throws IOException {
		Path directory = Files.createDirectories(this.mounts.resolve("memory").resolve(path));
		Files.writeString(directory.resolve("memory.limit_in_bytes"), limit + "\n");
		Files.writeString(directory.resolve("memory.usage_in_bytes"), usage + "\n");
	}

}
