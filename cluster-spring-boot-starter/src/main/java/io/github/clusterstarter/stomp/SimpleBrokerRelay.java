package io.github.clusterstarter.stomp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.simp.user.DefaultUserDestinationResolver;
import org.springframework.messaging.simp.user.UserDestinationResolver;
import org.springframework.messaging.support.InterceptableChannel;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;

/**
 * Joins the simple brokers of all workers into one: it attaches a
 * {@link BrokerMessageForwarder} to the channels of this worker's
 * {@link SimpleBrokerMessageHandler}, and hands the messages that other workers relay
 * to its broker channel, where the broker and the user destination handler deliver
 * them to the subscribers connected to this worker. Does nothing in an application
 * without a simple broker (for example one with a broker relay to RabbitMQ, whose
 * subscribers the external broker already reaches from every worker).
 */
public class SimpleBrokerRelay implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(SimpleBrokerRelay.class);

	private static final String DEFAULT_USER_DESTINATION_PREFIX = "/user/";

	private final long self;

	private final ListableBeanFactory beanFactory;

	private final Consumer<RelayedBrokerMessage> others;

	private final Set<MessageChannel> brokerChannels = new LinkedHashSet<>();

	/**
	 * Create a new instance.
	 * @param self the pid of this worker
	 * @param beanFactory where the simple broker is
	 * @param others sends a message to the other workers
	 */
	public SimpleBrokerRelay(long self, ListableBeanFactory beanFactory, Consumer<RelayedBrokerMessage> others) {
		this.self = self;
		this.beanFactory = beanFactory;
		this.others = others;
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (SimpleBrokerMessageHandler broker : this.beanFactory.getBeansOfType(SimpleBrokerMessageHandler.class)
			.values()) {
			List<String> prefixes = new ArrayList<>(broker.getDestinationPrefixes());
			prefixes.add(userDestinationPrefix());
			BrokerMessageForwarder forwarder = new BrokerMessageForwarder(this.self, prefixes, this.others);
			for (MessageChannel channel : List.of(broker.getClientInboundChannel(), broker.getBrokerChannel())) {
				if (channel instanceof InterceptableChannel interceptable) {
					interceptable.addInterceptor(forwarder);
				}
			}
			this.brokerChannels.add(broker.getBrokerChannel());
		}
	}

	private String userDestinationPrefix() {
		return this.beanFactory.getBeanProvider(UserDestinationResolver.class)
			.stream()
			.filter(DefaultUserDestinationResolver.class::isInstance)
			.map((resolver) -> ((DefaultUserDestinationResolver) resolver).getDestinationPrefix())
			.findFirst()
			.orElse(DEFAULT_USER_DESTINATION_PREFIX);
	}

	/**
	 * Deliver a message that another worker relayed to the subscribers of this one.
	 * @param relayed the message
	 */
	@EventListener
	public void onRelayedMessage(RelayedBrokerMessage relayed) {
		if (relayed.origin() == this.self || this.brokerChannels.isEmpty()) {
			return;
		}
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		relayed.nativeHeaders().forEach(accessor::setNativeHeaderValues);
		accessor.setDestination(relayed.destination());
		try {
			if (relayed.contentType() != null) {
				accessor.setContentType(MimeType.valueOf(relayed.contentType()));
			}
		}
		catch (InvalidMimeTypeException ex) {
			logger.error("Ignoring a message for %s relayed by worker pid %d: invalid content type: %s"
				.formatted(relayed.destination(), relayed.origin(), ex.getMessage()));
			return;
		}
		accessor.setHeader(BrokerMessageForwarder.RELAYED_HEADER, relayed.origin());
		for (MessageChannel channel : this.brokerChannels) {
			channel.send(MessageBuilder.createMessage(relayed.payload(), accessor.getMessageHeaders()));
		}
	}

}
