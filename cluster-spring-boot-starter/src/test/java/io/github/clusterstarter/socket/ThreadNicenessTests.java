package io.github.clusterstarter.socket;

import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link ThreadNiceness}, on the threads of the test's own JVM.
 */
class ThreadNicenessTests {

	@Test
	void aThreadOfItsOwnRunsAtTheGivenValueAndTheCallerKeepsItsOwn() throws Exception {
		int caller = ThreadNiceness.ofCallingThread();
		int own = ThreadNiceness.onThreadOfItsOwn(caller + 3, ThreadNiceness::ofCallingThread);
		assertThat(own).isEqualTo(Math.min(caller + 3, ThreadNiceness.MAX));
		assertThat(ThreadNiceness.ofCallingThread()).isEqualTo(caller);
	}

	@Test
	void everyThreadTakesTheValueAlsoThoseThatARaisedThreadStarted() throws Exception {
		assumeTrue(ThreadNiceness.canLowerBack(), "needs a process that may lower a nice value again");
		int caller = ThreadNiceness.ofCallingThread();
		long pid = ProcessHandle.current().pid();
		CountDownLatch done = new CountDownLatch(1);
		Thread started = ProcNiceness.startRaised(caller + 5, done);
		try {
			assertThat(ProcNiceness.ofEveryThread(pid)).contains(caller + 5);
			ThreadNiceness.setEveryThread(pid, caller);
			assertThat(ProcNiceness.ofEveryThread(pid)).containsOnly(caller);
		}
		finally {
			done.countDown();
			started.join();
		}
	}

}
