package io.github.clusterstarter.master;

import java.time.Duration;

import io.github.clusterstarter.control.ControlMessage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ServiceNotifications}.
 */
class ServiceNotificationsTests {

	@Test
	void readyOnceEveryWorkerIsReadyWithTheMainPidAndAStatus() {
		MasterHarness harness = new MasterHarness(new TestSettings());
		assertThat(harness.serviceManager.messages).containsExactly("STATUS=0 of 2 worker(s) ready");
		harness.ready(harness.worker(1));
		assertThat(harness.serviceManager.take("READY=1")).isEmpty();
		harness.ready(harness.worker(2));
		assertThat(harness.serviceManager.take("READY=1")).singleElement()
			.satisfies((message) -> assertThat(message.lines()).contains(
					"MAINPID=" + ProcessHandle.current().pid(), "STATUS=2 of 2 worker(s) ready"));
		harness.advance(Duration.ofMinutes(1));
		assertThat(harness.serviceManager.messages).isEmpty();
	}

	@Test
	void reloadingAroundARollingRestartStartedBySighupOnly() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.serviceManager.messages.clear();
		harness.signal("HUP");
		assertThat(harness.serviceManager.take("RELOADING=1")).singleElement()
			.satisfies((message) -> assertThat(message).contains("MONOTONIC_USEC=",
					"STATUS=2 of 2 worker(s) ready; rolling restart: SIGHUP (0 of 2 replaced)"));
		harness.ready(harness.worker(1));
		harness.stoppedOnesExit();
		assertThat(harness.serviceManager.take("READY=1")).isEmpty();
		harness.ready(harness.worker(2));
		harness.stoppedOnesExit();
		assertThat(harness.serviceManager.take("READY=1")).containsExactly("READY=1\nSTATUS=2 of 2 worker(s) ready");
		harness.request(harness.worker(2), new ControlMessage.RolloutRequest());
		assertThat(harness.serviceManager.messages).isNotEmpty();
		assertThat(harness.serviceManager.messages).noneMatch((message) -> message.contains("RELOADING=1"));
	}

	@Test
	void stoppingWhenTheShutdownBegins() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.signal("TERM");
		assertThat(harness.serviceManager.take("STOPPING=1")).singleElement()
			.satisfies((message) -> assertThat(message).contains("STATUS=Stopping: "));
	}

	@Test
	void watchdogPingsEveryHalfTimeoutFromTheLoop() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.serviceManager.watchdogTimeout = Duration.ofSeconds(10);
		harness.advance(Duration.ofMillis(1));
		assertThat(harness.serviceManager.take("WATCHDOG=1")).hasSize(1);
		harness.advance(Duration.ofMillis(4999));
		assertThat(harness.serviceManager.take("WATCHDOG=1")).isEmpty();
		harness.advance(Duration.ofMillis(1));
		assertThat(harness.serviceManager.take("WATCHDOG=1")).hasSize(1);
		for (int i = 0; i < 4; i++) {
			harness.advance(Duration.ofSeconds(5));
		}
		assertThat(harness.serviceManager.take("WATCHDOG=1")).hasSize(4);
	}

}
