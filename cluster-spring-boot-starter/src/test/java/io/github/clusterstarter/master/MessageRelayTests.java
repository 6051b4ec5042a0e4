package io.github.clusterstarter.master;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.ErrorCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MessageRelay}.
 */
class MessageRelayTests {

	private static final byte[] PAYLOAD = "{\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8);

	private MasterHarness harness;

	private FakeControlConnection one;

	private FakeControlConnection two;

	private FakeControlConnection three;

	@BeforeEach
	void twoReadyWorkersAndABootingOne() {
		this.harness = new MasterHarness(new TestSettings().workers(3));
		this.harness.ready(this.harness.worker(1));
		this.harness.ready(this.harness.worker(2));
		this.one = this.harness.connection(this.harness.worker(1));
		this.two = this.harness.connection(this.harness.worker(2));
		this.three = this.harness.connection(this.harness.worker(3));
	}

	@Test
	void publishDeliversTheBodyOnceToEveryReadyWorkerTheSenderIncluded() {
		ControlMessage.MasterMessage answer = this.harness.request(this.one,
				new ControlMessage.Publish(null, "com.example.GreetingChanged"), PAYLOAD);
		assertThat(answer).isEqualTo(new ControlMessage.Delivered(2));
		ControlMessage.Delivery delivery = new ControlMessage.Delivery(1, "com.example.GreetingChanged");
		assertThat(deliveries(this.one)).containsExactly(new Delivered(delivery, PAYLOAD));
		assertThat(deliveries(this.two)).containsExactly(new Delivered(delivery, PAYLOAD));
		assertThat(deliveries(this.three)).isEmpty();
	}

	@Test
	void publishToOneWorkerDeliversToItAlone() {
		ControlMessage.MasterMessage answer = this.harness.request(this.two,
				new ControlMessage.Publish(1, "com.example.GreetingChanged"), PAYLOAD);
		assertThat(answer).isEqualTo(new ControlMessage.Delivered(1));
		assertThat(deliveries(this.one)).hasSize(1);
		assertThat(deliveries(this.two)).isEmpty();
	}

	@Test
	void publishToAWorkerThatIsNotReadyDeliversNothing() {
		assertThat(this.harness.request(this.one, new ControlMessage.Publish(3, "T"), PAYLOAD))
			.isEqualTo(new ControlMessage.Delivered(0));
		assertThat(deliveries(this.three)).isEmpty();
	}

	@Test
	void publishToAnUnknownWorkerIsNotFound() {
		assertThat(this.harness.request(this.one, new ControlMessage.Publish(9, "T"), PAYLOAD))
			.isEqualTo(new ControlMessage.Failure(ErrorCode.NOT_FOUND,
					"no worker with id 9; the cluster has workers [1, 2, 3]"));
	}

	@Test
	void publishWithoutARequestIdIsDeliveredAndNotAnswered() {
		this.harness.send(this.one, new ControlMessage.Publish(2, "T"), PAYLOAD);
		assertThat(deliveries(this.two)).hasSize(1);
		assertThat(this.one.replies).isEmpty();
	}

	@Test
	void scrapeAllAsksEveryReadyWorkerAndForwardsTheirAnswersToTheRequester() {
		ControlMessage.MasterMessage answer = this.harness.request(this.two, new ControlMessage.ScrapeAll("s1"));
		assertThat(answer).isEqualTo(new ControlMessage.Scraping(List.of(1, 2)));
		ControlMessage.Scrape scrape = new ControlMessage.Scrape("s1", 2, 1002);
		assertThat(this.one.sent(ControlMessage.Scrape.class)).containsExactly(scrape);
		assertThat(this.two.sent(ControlMessage.Scrape.class)).containsExactly(scrape);
		assertThat(this.three.sent(ControlMessage.Scrape.class)).isEmpty();
		byte[] metrics = "jvm_threads_live 20\n".getBytes(StandardCharsets.UTF_8);
		this.harness.send(this.one, new ControlMessage.ScrapeResult("s1", 2, 1002, null), metrics);
		this.harness.send(this.two, new ControlMessage.ScrapeResult("s1", 2, 1002, "timed out"), new byte[0]);
		List<FakeControlConnection.Sent> parts = this.two.sent.stream()
			.filter((sent) -> sent.message() instanceof ControlMessage.ScrapePart)
			.toList();
		assertThat(parts).extracting(FakeControlConnection.Sent::message)
			.containsExactly(new ControlMessage.ScrapePart("s1", 1, null),
					new ControlMessage.ScrapePart("s1", 2, "timed out"));
		assertThat(parts.get(0).body()).isEqualTo(metrics);
		assertThat(this.one.sent(ControlMessage.ScrapePart.class)).isEmpty();
	}

	@Test
	void aScrapeResultForARequesterThatIsGoneIsDropped() {
		this.harness.request(this.two, new ControlMessage.ScrapeAll("s1"));
		this.harness.exit(this.harness.worker(2), 137);
		this.harness.send(this.one, new ControlMessage.ScrapeResult("s1", 2, 1002, null), PAYLOAD);
		assertThat(this.harness.launcher.launched).flatExtracting((jvm) -> this.harness.connection(jvm).sent)
			.extracting(FakeControlConnection.Sent::message)
			.noneMatch(ControlMessage.ScrapePart.class::isInstance);
	}

	private static List<Delivered> deliveries(FakeControlConnection connection) {
		return connection.sent.stream()
			.filter((sent) -> sent.message() instanceof ControlMessage.Delivery)
			.map((sent) -> new Delivered((ControlMessage.Delivery) sent.message(), sent.body()))
			.toList();
	}

	/**
	 * A delivery and its body, comparable.
	 */
	private record Delivered(ControlMessage.Delivery delivery, String body) {

		Delivered(ControlMessage.Delivery delivery, byte[] body) {
			this(delivery, new String(body, StandardCharsets.UTF_8));
		}

	}

}
