package io.github.clusterstarter;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.stompapp.StompApplication;
import io.github.clusterstarter.test.ClusterTest;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.RunningCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * STOMP clients connected to different workers of one cluster receive what is sent to
 * the simple broker on any worker, once.
 */
@ClusterTest(classes = StompApplication.class)
class StompRelayIT {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private RunningCluster cluster;

	private final WebSocketStompClient client = new WebSocketStompClient(new StandardWebSocketClient());

	private final List<StompSession> sessions = new ArrayList<>();

	/** A client connected to each worker, by worker id. */
	private final Map<Integer, StompSession> byWorker = new TreeMap<>();

	@BeforeEach
	void connectToEveryWorker() {
		this.client.setMessageConverter(new StringMessageConverter());
		await().atMost(DEADLINE).until(() -> {
			StompSession session = this.client
				.connectAsync("ws://127.0.0.1:" + this.cluster.port() + "/ws", new StompSessionHandlerAdapter() {
				})
				.get(10, TimeUnit.SECONDS);
			this.sessions.add(session);
			BlockingQueue<String> whoami = new LinkedBlockingQueue<>();
			session.subscribe("/app/whoami", frames(whoami));
			String answer = whoami.poll(10, TimeUnit.SECONDS);
			assertThat(answer).as("answer to /app/whoami").isNotNull();
			this.byWorker.putIfAbsent(Integer.valueOf(answer), session);
			return this.byWorker.size() == 2;
		});
	}

	@AfterEach
	void disconnect() {
		this.sessions.forEach(StompSession::disconnect);
		this.client.stop();
	}

	@Test
	void messageFromTheTemplateOfOneWorkerReachesSubscribersOfBoth() throws Exception {
		List<String> onWorker1 = subscribe(1, "/topic/news");
		List<String> onWorker2 = subscribe(2, "/topic/news");
		List<String> sentBy2 = new ArrayList<>();
		List<String> sent = new ArrayList<>();
		await().atMost(DEADLINE).until(() -> {
			String text = "news-" + sent.size();
			String answer = RawHttp.post(this.cluster.port(), "/news?text=" + text, "").body();
			sent.add(text);
			if (JsonPath.<Integer>read(answer, "$.worker") == 2) {
				sentBy2.add(text);
			}
			return !sentBy2.isEmpty();
		});
		awaitExactly(onWorker1, sent);
		awaitExactly(onWorker2, sent);
	}

	@Test
	void clientSendAndSendToOnOneWorkerReachSubscribersOfTheOther() throws Exception {
		List<String> onWorker1 = subscribe(1, "/topic/news");
		this.byWorker.get(2).send("/topic/news", "straight to the broker");
		this.byWorker.get(2).send("/app/shout", "through @SendTo");
		awaitExactly(onWorker1, List.of("straight to the broker", "through @SendTo"));
	}

	private List<String> subscribe(int worker, String destination) throws Exception {
		List<String> received = new CopyOnWriteArrayList<>();
		StompSession.Receiptable subscription = this.byWorker.get(worker)
			.subscribe(destination, frames(received));
		// The subscription is registered once the worker answers a message on its connection
		BlockingQueue<String> whoami = new LinkedBlockingQueue<>();
		this.byWorker.get(worker).subscribe("/app/whoami", frames(whoami));
		assertThat(whoami.poll(10, TimeUnit.SECONDS)).as("subscription %s", subscription.getReceiptId()).isNotNull();
		return received;
	}

	private static void awaitExactly(List<String> received, List<String> expected) {
		await().atMost(DEADLINE).until(() -> received.size() >= expected.size());
		// No duplicate arrives late
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> received.size() == expected.size());
		assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
	}

	private static StompFrameHandler frames(java.util.Collection<String> sink) {
		return new StompFrameHandler() {

			@Override
			public Type getPayloadType(StompHeaders headers) {
				return String.class;
			}

			@Override
			public void handleFrame(StompHeaders headers, Object payload) {
				sink.add((String) payload);
			}

		};
	}

}
