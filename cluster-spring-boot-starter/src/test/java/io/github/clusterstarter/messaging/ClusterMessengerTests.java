package io.github.clusterstarter.messaging;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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

	record Greeting(String text) {
	}

	static class Unwritable {

		public String getValue() {
			throw new IllegalStateException("no value here");
		}

	}

}
