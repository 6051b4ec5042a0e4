package io.github.clusterstarter.messaging;

import java.util.ArrayList;
import java.util.List;

import io.github.clusterstarter.control.ControlProtocol;
import io.github.clusterstarter.worker.MasterConnection;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

class ClusterMessengerTests {

	private final List<Object> published = new ArrayList<>();

	private final ClusterMessenger messenger = new ClusterMessenger(null, JsonMapper.builder().build(),
			this.published::add, getClass().getClassLoader());

	@Test
	void broadcastOutsideAClusterReachesThisProcess() {
		assertThat(this.messenger.broadcast(new Greeting("hi"))).isOne();
		assertThat(this.published).containsExactly(new Greeting("hi"));
	}

	@Test
	void sendOutsideAClusterFails() {
		assertThatExceptionOfType(ClusterMessagingException.class)
			.isThrownBy(() -> this.messenger.send(2, new Greeting("hi")))
			.withMessage("Cannot send to worker 2: this application does not run as a cluster");
	}

	@Test
	void payloadThatIsNotJsonIsRefusedWithTheReason() {
		assertThatExceptionOfType(ClusterMessagingException.class)
			.isThrownBy(() -> this.messenger.broadcast(new Unwritable()))
			.withMessageStartingWith("Cannot send a " + Unwritable.class.getName() + ": it cannot be written as JSON: ")
			.withMessageContaining("no value here");
		assertThat(this.published).isEmpty();
	}

	@Test
	void payloadOverTheProtocolLimitIsRefusedWithItsSizeAndTheLimitWithoutSending() {
		MasterConnection connection = mock(MasterConnection.class);
		ClusterMessenger clustered = new ClusterMessenger(connection, JsonMapper.builder().build(), this.published::add,
				getClass().getClassLoader());
		// {"text":"..."} is 11 bytes around the text
		Greeting tooLarge = new Greeting("x".repeat(ControlProtocol.MAX_BODY_BYTES - 11 + 1));
		assertThatExceptionOfType(ClusterMessagingException.class).isThrownBy(() -> clustered.broadcast(tooLarge))
			.withMessage("Cannot send a %s of %d bytes as JSON: messages between workers are limited to %d bytes",
					Greeting.class.getName(), ControlProtocol.MAX_BODY_BYTES + 1, ControlProtocol.MAX_BODY_BYTES);
		assertThatExceptionOfType(ClusterMessagingException.class).isThrownBy(() -> clustered.send(2, tooLarge))
			.withMessageContaining("limited to " + ControlProtocol.MAX_BODY_BYTES + " bytes");
		verify(connection, never()).request(any(), any(), any(), any());
		verify(connection, never()).send(any(), any());
		assertThat(this.published).isEmpty();
	}

	record Greeting(String text) {
	}

	static class Unwritable {

		public String getValue() {
			throw new IllegalStateException("no value here");
		}

	}

}
