package io.github.clusterstarter.master;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ServiceManager}.
 */
class ServiceManagerTests {

	@Test
	void noneWithoutNotifySocket() {
		assertThat(ServiceManager.of(Map.of("WATCHDOG_USEC", "1000000"), 42)).isSameAs(ServiceManager.NONE);
	}

	@Test
	void watchdogOnlyForThisProcess() {
		Map<String, String> mine = Map.of("NOTIFY_SOCKET", "@test", "WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "42");
		assertThat(ServiceManager.of(mine, 42).watchdogTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(ServiceManager.of(mine, 43).watchdogTimeout()).isZero();
	}

	@Test
	void aBrokenSetupIsNoReasonNotToServe() {
		assertThat(ServiceManager.of(Map.of("NOTIFY_SOCKET", "relative/path"), 42)).isSameAs(ServiceManager.NONE);
		assertThat(ServiceManager.of(Map.of("NOTIFY_SOCKET", "@test", "WATCHDOG_USEC", "soon"), 42))
			.isSameAs(ServiceManager.NONE);
	}

}
