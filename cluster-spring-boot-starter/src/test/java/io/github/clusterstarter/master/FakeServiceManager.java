package io.github.clusterstarter.master;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A service manager that records what the master tells it.
 */
final class FakeServiceManager implements ServiceManager {

	final List<String> messages = new ArrayList<>();

	Duration watchdogTimeout = Duration.ZERO;

	@Override
	public void notify(String message) {
		this.messages.add(message);
	}

	@Override
	public Duration watchdogTimeout() {
		return this.watchdogTimeout;
	}

	/**
	 * Return the messages that contain the given line, and forget every message.
	 * @param line a line such as {@code READY=1}
	 * @return the matching messages
	 */
	List<String> take(String line) {
		List<String> matching = this.messages.stream().filter((message) -> message.lines().anyMatch(line::equals))
			.toList();
		this.messages.clear();
		return matching;
	}

}
