package io.github.clusterstarter.socket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

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
		CountDownLatch done = new CountDownLatch(1);
		Thread started = ThreadNiceness.onThreadOfItsOwn(caller + 5, () -> {
			Thread thread = new Thread(() -> awaitQuietly(done), "raised-child");
			thread.start();
			return thread;
		});
		try {
			assertThat(nicenessOfEveryThread()).contains(caller + 5);
			ThreadNiceness.setEveryThread(ProcessHandle.current().pid(), caller);
			assertThat(nicenessOfEveryThread()).containsOnly(caller);
		}
		finally {
			done.countDown();
			started.join();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	// Field 19 of /proc/self/task/TID/stat, counted after the command name, which may hold spaces
	private static List<Integer> nicenessOfEveryThread() throws IOException {
		try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
			return tasks.map(ThreadNicenessTests::niceness).filter((niceness) -> niceness != null).toList();
		}
	}

	private static Integer niceness(Path task) {
		try {
			String stat = Files.readString(task.resolve("stat"));
			return Integer.valueOf(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
		}
		catch (IOException ex) {
			// The thread ended
			return null;
		}
	}

}
