package io.github.clusterstarter.master;

import java.util.Map;

import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SocketActivation}.
 */
class SocketActivationTests {

	@Test
	void adoptsFd3WhenOneSocketIsPassedToThisProcess() {
		assertThat(SocketActivation.passedSocket(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "1"), 42)).isEqualTo(3);
	}

	@Test
	void ignoresSocketsPassedToAnotherProcess() {
		// A shell that started the JVM without exec got them
		assertThat(SocketActivation.passedSocket(Map.of("LISTEN_PID", "41", "LISTEN_FDS", "1"), 42)).isNull();
		assertThat(SocketActivation.passedSocket(Map.of("LISTEN_FDS", "1"), 42)).isNull();
		assertThat(SocketActivation.passedSocket(Map.of(), 42)).isNull();
	}

	@Test
	void ignoresNoSocketsOrANonsensicalCount() {
		assertThat(SocketActivation.passedSocket(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "0"), 42)).isNull();
		assertThat(SocketActivation.passedSocket(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "one"), 42)).isNull();
	}

	@Test
	void refusesMoreThanOneSocketNamingThem() {
		assertThatExceptionOfType(ClusterConfigurationException.class)
			.isThrownBy(() -> SocketActivation.passedSocket(
					Map.of("LISTEN_PID", "42", "LISTEN_FDS", "2", "LISTEN_FDNAMES", "http:admin"), 42))
			.withMessageContaining("systemd passed 2 sockets (LISTEN_FDS=2, LISTEN_FDNAMES=http:admin)")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("single ListenStream="));
	}

}
