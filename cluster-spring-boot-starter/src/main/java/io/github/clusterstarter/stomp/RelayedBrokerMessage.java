package io.github.clusterstarter.stomp;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A message for a destination of the simple broker, sent by one worker to the others so
 * that their broker delivers it to their own subscribers.
 *
 * @param origin the pid of the worker that sent it, which ignores its own message
 * @param destination the destination, such as {@code /topic/news} or
 * {@code /user/alice/queue/replies}
 * @param contentType the message's content type, if any
 * @param nativeHeaders the message's STOMP headers
 * @param payload the message's body, as the broker sends it to subscribers
 */
public record RelayedBrokerMessage(long origin, String destination, @Nullable String contentType,
		Map<String, List<String>> nativeHeaders, byte[] payload) {

	public RelayedBrokerMessage {
		Assert.hasText(destination, "'destination' must not be empty");
		Assert.notNull(payload, "'payload' must not be null");
		nativeHeaders = (nativeHeaders != null) ? nativeHeaders : Map.of();
	}

}
