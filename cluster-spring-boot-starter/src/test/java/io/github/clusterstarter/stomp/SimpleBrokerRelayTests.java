package io.github.clusterstarter.stomp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two workers' simple brokers, on channels that deliver on the sending thread, joined by
 * a fake messenger.
 */
class SimpleBrokerRelayTests {

	private final List<RelayedBrokerMessage> relayed = new CopyOnWriteArrayList<>();

	private final Worker one = new Worker(1, this::relayToTwo);

	private final Worker two = new Worker(2, (message) -> {
		throw new AssertionError("Worker 2 relayed " + message);
	});

	private void relayToTwo(RelayedBrokerMessage message) {
		this.relayed.add(message);
		this.one.relay.onRelayedMessage(message);
		this.two.relay.onRelayedMessage(message);
	}

	@AfterEach
	void stop() {
		this.one.broker.stop();
		this.two.broker.stop();
	}

	@Test
	void templateMessageReachesSubscribersOfBothWorkersOnce() {
		this.one.subscribe("s1", "/topic/news");
		this.two.subscribe("s2", "/topic/news");
		new SimpMessagingTemplate(this.one.brokerChannel).convertAndSend("/topic/news", "hello".getBytes(),
				Map.of("custom", "yes"));
		assertThat(this.one.received()).containsExactly("/topic/news hello");
		assertThat(this.two.received()).containsExactly("/topic/news hello");
		Message<?> delivered = this.two.outbound.get(this.two.outbound.size() - 1);
		assertThat(delivered.getHeaders()).containsKey(BrokerMessageForwarder.RELAYED_HEADER);
		assertThat(SimpMessageHeaderAccessor.wrap(delivered).getFirstNativeHeader("custom")).isEqualTo("yes");
		assertThat(this.relayed).hasSize(1);
	}

	@Test
	void clientSendToABrokerDestinationReachesTheOtherWorker() {
		this.two.subscribe("s2", "/topic/chat");
		SimpMessageHeaderAccessor send = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		send.setDestination("/topic/chat");
		send.setSessionId("c1");
		this.one.clientInbound.send(MessageBuilder.createMessage("hi".getBytes(), send.getMessageHeaders()));
		assertThat(this.two.received()).containsExactly("/topic/chat hi");
	}

	@Test
	void applicationDestinationsAndResolvedUserDestinationsStayInTheWorker() {
		SimpMessageHeaderAccessor send = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		send.setDestination("/app/echo");
		this.one.clientInbound.send(MessageBuilder.createMessage("x".getBytes(), send.getMessageHeaders()));
		SimpMessageHeaderAccessor resolved = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		resolved.setDestination("/queue/replies-users1");
		resolved.setHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION, "/user/queue/replies");
		this.one.brokerChannel.send(MessageBuilder.createMessage("x".getBytes(), resolved.getMessageHeaders()));
		SimpMessageHeaderAccessor subscribe = SimpMessageHeaderAccessor.create(SimpMessageType.SUBSCRIBE);
		subscribe.setDestination("/topic/news");
		subscribe.setSessionId("c1");
		subscribe.setSubscriptionId("sub");
		this.one.clientInbound.send(MessageBuilder.createMessage(new byte[0], subscribe.getMessageHeaders()));
		assertThat(this.relayed).isEmpty();
	}

	@Test
	void userDestinationsTravelUnresolved() {
		new SimpMessagingTemplate(this.one.brokerChannel).convertAndSendToUser("alice", "/queue/replies",
				"hi".getBytes());
		assertThat(this.relayed).singleElement()
			.extracting(RelayedBrokerMessage::destination)
			.isEqualTo("/user/alice/queue/replies");
	}

	@Test
	void payloadThatIsNotBytesIsDeliveredLocallyOnly() {
		this.one.subscribe("s1", "/topic/news");
		this.one.brokerChannel.send(MessageBuilder.withPayload("text")
			.setHeader(SimpMessageHeaderAccessor.DESTINATION_HEADER, "/topic/news")
			.setHeader(SimpMessageHeaderAccessor.MESSAGE_TYPE_HEADER, SimpMessageType.MESSAGE)
			.build());
		assertThat(this.one.received()).containsExactly("/topic/news text");
		assertThat(this.relayed).isEmpty();
	}

	@Test
	void failingMessengerStillDeliversLocally() {
		Worker alone = new Worker(3, (message) -> {
			throw new IllegalStateException("master unavailable");
		});
		alone.subscribe("s3", "/topic/news");
		new SimpMessagingTemplate(alone.brokerChannel).convertAndSend("/topic/news", "hello".getBytes());
		assertThat(alone.received()).containsExactly("/topic/news hello");
		alone.broker.stop();
	}

	@Test
	void malformedRelayedMessageIsIgnored() {
		this.two.subscribe("s2", "/topic/news");
		this.two.relay.onRelayedMessage(new RelayedBrokerMessage(1, "/topic/news", "not a mime type; =", Map.of(),
				"x".getBytes()));
		assertThat(this.two.received()).isEmpty();
		this.two.relay.onRelayedMessage(new RelayedBrokerMessage(1, "/topic/news", null, null, "ok".getBytes()));
		assertThat(this.two.received()).containsExactly("/topic/news ok");
	}

	@Test
	void ownMessageComingBackIsIgnored() {
		this.two.subscribe("s2", "/topic/news");
		this.two.relay.onRelayedMessage(new RelayedBrokerMessage(2, "/topic/news", null, Map.of(), "x".getBytes()));
		assertThat(this.two.received()).isEmpty();
	}

	private static final class Worker {

		private final ExecutorSubscribableChannel clientInbound = new ExecutorSubscribableChannel();

		private final ExecutorSubscribableChannel brokerChannel = new ExecutorSubscribableChannel();

		private final ExecutorSubscribableChannel clientOutbound = new ExecutorSubscribableChannel();

		private final List<Message<?>> outbound = new CopyOnWriteArrayList<>();

		private final SimpleBrokerMessageHandler broker;

		private final SimpleBrokerRelay relay;

		Worker(long pid, Consumer<RelayedBrokerMessage> others) {
			this.broker = new SimpleBrokerMessageHandler(this.clientInbound, this.clientOutbound, this.brokerChannel,
					List.of("/topic", "/queue"));
			this.clientOutbound.subscribe(this.outbound::add);
			DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
			beanFactory.registerSingleton("simpleBrokerMessageHandler", this.broker);
			this.relay = new SimpleBrokerRelay(pid, beanFactory, others);
			this.relay.afterSingletonsInstantiated();
			this.broker.start();
		}

		void subscribe(String session, String destination) {
			SimpMessageHeaderAccessor connect = SimpMessageHeaderAccessor.create(SimpMessageType.CONNECT);
			connect.setSessionId(session);
			this.clientInbound.send(MessageBuilder.createMessage(new byte[0], connect.getMessageHeaders()));
			SimpMessageHeaderAccessor subscribe = SimpMessageHeaderAccessor.create(SimpMessageType.SUBSCRIBE);
			subscribe.setDestination(destination);
			subscribe.setSessionId(session);
			subscribe.setSubscriptionId("sub-" + session);
			this.clientInbound.send(MessageBuilder.createMessage(new byte[0], subscribe.getMessageHeaders()));
		}

		List<String> received() {
			return this.outbound.stream()
				.filter((message) -> SimpMessageHeaderAccessor.getMessageType(message.getHeaders()) == SimpMessageType.MESSAGE)
				.map((message) -> SimpMessageHeaderAccessor.getDestination(message.getHeaders()) + " "
						+ ((message.getPayload() instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
								: message.getPayload()))
				.toList();
		}

	}

}
