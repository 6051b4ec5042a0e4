package io.github.clusterstarter.test;

import java.io.IOException;
import java.util.List;

import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs a {@link ClusterTest @ClusterTest} class with the JUnit Platform's test kit, to
 * see what it leaves behind.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterTestExtensionIT {

	@Test
	void clusterIsStoppedAfterTheClassAndAFailedTestPrintsItsOutput(CapturedOutput output) {
		EngineTestKit.engine("junit-jupiter")
			.selectors(selectClass(ComponentClasses.class))
			.execute()
			.testEvents()
			.assertStatistics((statistics) -> statistics.started(2).succeeded(1).failed(1));
		RunningCluster cluster = ComponentClasses.cluster;
		assertThat(ComponentClasses.pids).hasSize(2).allSatisfy((pid) -> assertThat(
				ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("process %d", pid).isEmpty());
		assertThat(cluster.output()).contains("Shutting down (SIGTERM)");
		assertThat(output).contains("---- output of the cluster (master pid " + cluster.masterPid()
				+ ") that ran during failedTestPrintsTheOutput() ----")
			.contains("[worker-1]");
	}

	/**
	 * Two component classes, neither of which has a main method of its own that could
	 * start the cluster.
	 */
	@ClusterTest(workers = 1, classes = { TestApplication.class, ComponentClasses.Greeter.class })
	static class ComponentClasses {

		static RunningCluster cluster;

		static List<Long> pids;

		@Test
		void makeUpTheApplicationOfTheCluster() throws IOException {
			pids = cluster.processes().stream().map(ProcessHandle::pid).toList();
			assertThat(RawHttp.get(cluster.port(), "/greeter").body()).isEqualTo("hello");
			assertThat(RunningCluster.commandLine(cluster.masterPid())).contains(SpringApplicationMain.class.getName());
		}

		@Test
		void failedTestPrintsTheOutput() {
			throw new AssertionError("Failed on purpose");
		}

		@RestController
		static class Greeter {

			@GetMapping("/greeter")
			String greet() {
				return "hello";
			}

		}

	}

}
