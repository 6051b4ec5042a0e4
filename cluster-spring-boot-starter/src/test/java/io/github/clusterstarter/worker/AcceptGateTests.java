package io.github.clusterstarter.worker;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AcceptGateTests {

	private final AcceptGate gate = new AcceptGate();

	@Test
	void actionsWaitForTheGateAndRunOnce() {
		List<String> ran = new ArrayList<>();
		this.gate.whenOpen(() -> ran.add("before"));
		assertThat(ran).isEmpty();
		assertThat(this.gate.isOpen()).isFalse();
		this.gate.open();
		assertThat(ran).containsExactly("before");
		this.gate.whenOpen(() -> ran.add("after"));
		this.gate.open();
		assertThat(ran).containsExactly("before", "after");
	}

	@Test
	void awaitReturnsOnceOpen() throws InterruptedException {
		assertThat(this.gate.await(1)).isFalse();
		this.gate.open();
		assertThat(this.gate.await(1)).isTrue();
	}

}
