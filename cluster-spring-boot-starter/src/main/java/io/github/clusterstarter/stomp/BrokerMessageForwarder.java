package io.github.clusterstarter.stomp;

import java.util.List;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.util.MimeType;

/**
 * Sends the messages that this worker's simple broker is about to deliver to the other
 * workers: those on the broker channel ({@code SimpMessagingTemplate}, {@code @SendTo})
 * and a client's STOMP {@code SEND} straight to a broker destination. It leaves out
 * messages that came from another worker, and messages that this worker resolved from a
 * user destination: the user destination itself travels, and each worker resolves it
 * for the sessions connected to it. A message is sent before this worker delivers it,
 * from the sending thread, so that its order is kept. When it cannot be sent it is
 * logged and still delivered here.
 */
public class BrokerMessageForwarder implements ChannelInterceptor {

	/**
	 * Header that marks a message received from another worker.
	 */
	public static final String RELAYED_HEADER = "clusterRelayedFrom";

	private static final Log logger = LogFactory.getLog(BrokerMessageForwarder.class);

	private final long origin;

	private final List<String> destinationPrefixes;

	private final Consumer<RelayedBrokerMessage> others;

	/**
	 * Create a new instance.
	 * @param origin the pid of this worker
	 * @param destinationPrefixes the destinations to relay: the simple broker's and the
	 * user destination prefix
	 * @param others sends a message to the other workers
	 */
	public BrokerMessageForwarder(long origin, List<String> destinationPrefixes,
			Consumer<RelayedBrokerMessage> others) {
		this.origin = origin;
		this.destinationPrefixes = List.copyOf(destinationPrefixes);
		this.others = others;
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		String destination = SimpMessageHeaderAccessor.getDestination(message.getHeaders());
		if (SimpMessageHeaderAccessor.getMessageType(message.getHeaders()) != SimpMessageType.MESSAGE
				|| destination == null || message.getHeaders().containsKey(RELAYED_HEADER)
				|| message.getHeaders().containsKey(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION)
				|| this.destinationPrefixes.stream().noneMatch(destination::startsWith)) {
			return message;
		}
		if (!(message.getPayload() instanceof byte[] payload)) {
			logger.error("Cannot relay a message for %s to the other workers: its payload is a %s, not the byte[] "
				.formatted(destination, message.getPayload().getClass().getName())
					+ "that a STOMP broker sends; it reaches the subscribers of this worker only");
			return message;
		}
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.wrap(message);
		MimeType contentType = headers.getContentType();
		try {
			this.others.accept(new RelayedBrokerMessage(this.origin, destination,
					(contentType != null) ? contentType.toString() : null, headers.toNativeHeaderMap(), payload));
		}
		catch (RuntimeException ex) {
			logger.error("Cannot relay a message for %s to the other workers; it reaches the subscribers of this "
				.formatted(destination) + "worker only", ex);
		}
		return message;
	}

}
