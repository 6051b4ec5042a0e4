package io.github.clusterstarter.worker;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.socket.ProcNiceness;
import io.github.clusterstarter.socket.ThreadNiceness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link ServingPriority}, on the threads of the test's own JVM.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServingPriorityTests {

	@Test
	void withoutTheVariableNothingChanges(CapturedOutput output) throws Exception {
		int caller = ThreadNiceness.ofCallingThread();
		CountDownLatch done = new CountDownLatch(1);
		Thread raised = ProcNiceness.startRaised(caller + 2, done);
		try {
			ServingPriority.restore(Map.of());
			assertThat(ProcNiceness.ofEveryThread(ProcessHandle.current().pid())).contains(caller + 2);
		}
		finally {
			done.countDown();
			raised.join();
		}
		assertThat(output).doesNotContain("nice value");
	}

	@Test
	void aPlantedValueThatIsNoNumberIsIgnoredWithAWarning(CapturedOutput output) {
		int caller = ThreadNiceness.ofCallingThread();
		ServingPriority.restore(Map.of(WorkerIdentity.SERVING_NICENESS_VARIABLE, "ten"));
		assertThat(ThreadNiceness.ofCallingThread()).isEqualTo(caller);
		assertThat(output).contains("Ignoring BOOT_CLUSTER_SERVING_NICENESS=ten, which is not a nice value");
	}

	@Test
	void everyThreadTakesTheServingValue() throws Exception {
		assumeTrue(ThreadNiceness.canLowerBack(), "needs a process that may lower a nice value again");
		int caller = ThreadNiceness.ofCallingThread();
		CountDownLatch done = new CountDownLatch(1);
		Thread raised = ProcNiceness.startRaised(caller + 4, done);
		try {
			ServingPriority.restore(Map.of(WorkerIdentity.SERVING_NICENESS_VARIABLE, Integer.toString(caller)));
			assertThat(ProcNiceness.ofEveryThread(ProcessHandle.current().pid())).containsOnly(caller);
		}
		finally {
			done.countDown();
			raised.join();
		}
	}

}
