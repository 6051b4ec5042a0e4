package io.github.clusterstarter.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.clusterstarter.control.ControlMessage.MasterMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The control channel over a real Unix domain socket, with well-behaved and hostile
 * clients.
 */
@ExtendWith(OutputCaptureExtension.class)
class ControlChannelTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(2);

	private final ClusterSecret secret = ClusterSecret.generate();

	private final List<ControlConnection> connected = new CopyOnWriteArrayList<>();

	private final List<ControlMessage.WorkerMessage> received = new CopyOnWriteArrayList<>();

	private final List<ControlConnection> disconnected = new CopyOnWriteArrayList<>();

	private final List<ControlClient> clients = new CopyOnWriteArrayList<>();

	private ControlDirectory directory;

	private ControlServer server;

	@BeforeEach
	void startServer() throws IOException {
		this.directory = ControlDirectory.create();
		this.server = new ControlServer(this.directory, this.secret, new ControlServer.Listener() {

			@Override
			public void onConnected(ControlConnection connection) {
				ControlChannelTests.this.connected.add(connection);
				if (connection.workerId() == 99) {
					connection.refuse("no such worker");
				}
				else {
					connection.welcome();
				}
			}

			@Override
			public void onMessage(ControlConnection connection, Frame<ControlMessage.WorkerMessage> frame) {
				ControlChannelTests.this.received.add(frame.message());
				if (frame.message() instanceof ControlMessage.Publish) {
					// Echo the body, then count it
					connection.send(new ControlMessage.Delivery(connection.workerId(), "echo"), frame.body());
					connection.reply(frame, new ControlMessage.Delivered(frame.body().length));
				}
				else if (frame.message() instanceof ControlMessage.ScaleRequest scale) {
					connection.replyError(frame, ErrorCode.INVALID, "cannot scale to " + scale.workers());
				}
				else if (frame.message() instanceof ControlMessage.RolloutRequest) {
					connection.reply(frame, new ControlMessage.Accepted("rolling"));
				}
			}

			@Override
			public void onDisconnected(ControlConnection connection) {
				ControlChannelTests.this.disconnected.add(connection);
			}

		}, HELLO_TIMEOUT);
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.clients.forEach(ControlClient::close);
		this.server.close();
		this.directory.delete();
	}

	@Test
	void directoryIsPrivate() throws IOException {
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.directory.path())))
			.isEqualTo("rwx------");
	}

	@Test
	void welcomedClientGetsTypedAnswersAndErrors() throws Exception {
		ControlClient client = connect(this.secret, 3, new CopyOnWriteArrayList<>(), () -> {
		});
		assertThat(this.connected).singleElement().satisfies((connection) -> {
			assertThat(connection.workerId()).isEqualTo(3);
			assertThat(connection.pid()).isEqualTo(1003);
		});
		assertThat(client.request(new ControlMessage.RolloutRequest(), Frame.NO_BODY, ControlMessage.Accepted.class,
				WAIT).get().detail()).isEqualTo("rolling");
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> client.request(new ControlMessage.ScaleRequest(7), Frame.NO_BODY,
					ControlMessage.Accepted.class, WAIT).get())
			.havingCause()
			.isInstanceOfSatisfying(ControlRequestException.class, (ex) -> {
				assertThat(ex.getCode()).isEqualTo(ErrorCode.INVALID);
				assertThat(ex.getMessage()).isEqualTo("cannot scale to 7");
			});
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> client.request(new ControlMessage.StatusRequest(), Frame.NO_BODY,
					ControlMessage.Status.class, Duration.ofMillis(200)).get())
			.withCauseInstanceOf(TimeoutException.class);
	}

	@Test
	void largeBodiesTravelBothWaysIntact() throws Exception {
		List<Frame<MasterMessage>> messages = new CopyOnWriteArrayList<>();
		ControlClient client = connect(this.secret, 1, messages, () -> {
		});
		byte[] body = new byte[10 * 1024 * 1024];
		new Random(42).nextBytes(body);
		ControlMessage.Delivered delivered = client
			.request(new ControlMessage.Publish(null, "bytes"), body, ControlMessage.Delivered.class, WAIT)
			.get();
		assertThat(delivered.delivered()).isEqualTo(body.length);
		await().atMost(WAIT).until(() -> messages.size() == 1);
		assertThat(messages.get(0).message()).isEqualTo(new ControlMessage.Delivery(1, "echo"));
		assertThat(Arrays.equals(messages.get(0).body(), body)).isTrue();
	}

	@Test
	void bodyOverTheLimitIsRefusedByTheSender() throws Exception {
		ControlClient client = connect(this.secret, 1, new CopyOnWriteArrayList<>(), () -> {
		});
		byte[] body = new byte[ControlProtocol.MAX_BODY_BYTES + 1];
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> client.request(new ControlMessage.Publish(null, "bytes"), body,
					ControlMessage.Delivered.class, WAIT))
			.withMessageContaining("exceeds the limit of " + ControlProtocol.MAX_BODY_BYTES);
		assertThat(client.request(new ControlMessage.RolloutRequest(), Frame.NO_BODY, ControlMessage.Accepted.class,
				WAIT).get().detail()).isEqualTo("rolling");
	}

	@Test
	void wrongSecretIsRejectedAndServerKeepsServing(CapturedOutput output) throws Exception {
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> connect(ClusterSecret.generate(), 1, new CopyOnWriteArrayList<>(), () -> {
			}))
			.withMessageContaining("closed the control connection");
		assertThat(this.connected).isEmpty();
		await().atMost(WAIT).untilAsserted(() -> assertThat(output)
			.contains("rejected a connection with a wrong secret (claiming worker 1, pid 1001)"));
		connect(this.secret, 2, new CopyOnWriteArrayList<>(), () -> {
		});
	}

	@Test
	void refusedWorkerGetsTheReason() {
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> connect(this.secret, 99, new CopyOnWriteArrayList<>(), () -> {
			}))
			.withMessage("The cluster master refused this worker: no such worker");
	}

	@Test
	void workerOfAnotherProtocolVersionIsRefusedWithBothVersions(CapturedOutput output) throws Exception {
		try (RawPeer peer = new RawPeer()) {
			peer.writeLine("{\"message\":{\"type\":\"hello\",\"protocolVersion\":9,\"minProtocolVersion\":7,"
					+ "\"secret\":\"" + this.secret.value() + "\",\"worker\":1,\"pid\":5}}");
			Frame<ControlMessage> answer = peer.read();
			assertThat(answer.message()).isInstanceOfSatisfying(ControlMessage.Refused.class,
					(refused) -> assertThat(refused.reason())
						.contains("the worker speaks control protocol versions 7 to 9 and the master 2 to 2"));
			assertThat(peer.read()).isNull();
		}
		assertThat(this.connected).isEmpty();
		await().atMost(WAIT).untilAsserted(() -> assertThat(output)
			.contains("refused worker 1 (pid 5): the worker speaks control protocol versions 7 to 9"));
	}

	@Test
	void badFramesAreAnsweredAndLoggedOnceAndTheConnectionStaysOpen(CapturedOutput output) throws Exception {
		try (RawPeer peer = new RawPeer()) {
			peer.hello(2);
			peer.writeLine("{not json");
			peer.writeLine("{\"requestId\":1,\"message\":{\"type\":\"heartbeat\",\"heapUsed\":1}}");
			peer.writeLine("{\"requestId\":2,\"message\":{\"type\":\"scale\",\"workers\":\"many\"}}");
			peer.writeLine("{\"requestId\":3,\"message\":{\"type\":\"launch-missiles\"}}");
			peer.writeLine("{\"requestId\":4,\"message\":{\"type\":\"welcome\",\"protocolVersion\":2}}");
			peer.writeLine("{\"requestId\":5,\"bodyLength\":\"lots\",\"message\":{\"type\":\"status\"}}");
			peer.writeLine("{\"requestId\":6,\"message\":[1,2]}");
			peer.writeLine("x".repeat(3 * ControlProtocol.MAX_HEADER_BYTES));
			peer.writeLine("{\"requestId\":7,\"bodyLength\":" + (ControlProtocol.MAX_BODY_BYTES + 1)
					+ ",\"message\":{\"type\":\"status\"}}");
			peer.write(new byte[ControlProtocol.MAX_BODY_BYTES + 1]);
			peer.writeLine("{\"requestId\":8,\"message\":{\"type\":\"rollout\"}}");
			for (long id = 1; id <= 7; id++) {
				Frame<ControlMessage> answer = peer.read();
				assertThat(answer.replyTo()).isEqualTo(id);
				assertThat(answer.message()).isInstanceOfSatisfying(ControlMessage.Failure.class,
						(failure) -> assertThat(failure.code()).isEqualTo(ErrorCode.BAD_MESSAGE));
			}
			Frame<ControlMessage> answer = peer.read();
			assertThat(answer.replyTo()).isEqualTo(8);
			assertThat(answer.message()).isEqualTo(new ControlMessage.Accepted("rolling"));
		}
		assertThat(this.received).containsExactly(new ControlMessage.RolloutRequest());
		String prefix = "Bad control message from worker 2 (pid 1002): ";
		assertThat(output.getOut()).containsOnlyOnce(prefix + "not a JSON header")
			.containsOnlyOnce(prefix + "invalid 'heartbeat' message (control protocol 2): Missing creator property "
					+ "'heapMax'")
			.containsOnlyOnce(prefix + "invalid 'scale' message")
			.containsOnlyOnce(prefix + "invalid 'launch-missiles' message")
			.containsOnlyOnce(prefix + "'welcome' is a message of the master, not of a worker")
			.containsOnlyOnce(prefix + "'bodyLength' must be a whole number")
			.containsOnlyOnce(prefix + "the header has no 'message' object")
			.containsOnlyOnce(prefix + "a header line of " + (3 * ControlProtocol.MAX_HEADER_BYTES)
					+ " bytes exceeds the limit")
			.containsOnlyOnce(prefix + "a body of " + (ControlProtocol.MAX_BODY_BYTES + 1)
					+ " bytes exceeds the limit");
	}

	@Test
	void floodOfRandomLinesIsSurvivedAndItsLoggingThrottled(CapturedOutput output) throws Exception {
		Random random = new Random(7);
		long started = System.nanoTime();
		try (RawPeer peer = new RawPeer()) {
			peer.hello(2);
			StringBuilder lines = new StringBuilder();
			for (int i = 0; i < 100_000; i++) {
				byte[] line = new byte[random.nextInt(80)];
				random.nextBytes(line);
				lines.append(new String(line, StandardCharsets.ISO_8859_1).replace('\n', ' ')).append('\n');
			}
			peer.write(lines.toString().getBytes(StandardCharsets.ISO_8859_1));
			peer.writeLine("{\"requestId\":8,\"message\":{\"type\":\"rollout\"}}");
			Frame<ControlMessage> answer = peer.read();
			assertThat(answer.message()).isEqualTo(new ControlMessage.Accepted("rolling"));
		}
		// A slow machine may take more than one window to read the flood, and each window logs again
		long windows = 1 + Duration.ofNanos(System.nanoTime() - started).toSeconds() / ThrottledLog.WINDOW_SECONDS;
		long logged = output.getOut().lines().filter((line) -> line.contains("Bad control message")).count();
		assertThat(logged).isBetween(ThrottledLog.BURST + 1L, (ThrottledLog.BURST + 1L) * windows);
		assertThat(output).contains("Bad control message from worker 2 (pid 1002): more problems follow; "
				+ "logging at most 10 every 10 s");
	}

	@Test
	void silentClientIsDroppedAfterTheHelloTimeout(CapturedOutput output) throws Exception {
		try (RawPeer peer = new RawPeer()) {
			assertThat(peer.read()).isNull();
		}
		assertThat(this.connected).isEmpty();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(output).contains("closed a connection that sent no hello within 2000 ms"));
	}

	@Test
	void connectionsWaitingForTheirHelloAreCapped(CapturedOutput output) throws Exception {
		List<RawPeer> waiting = new CopyOnWriteArrayList<>();
		try {
			for (int i = 0; i < ControlServer.MAX_UNAUTHENTICATED; i++) {
				waiting.add(new RawPeer());
			}
			try (RawPeer extra = new RawPeer()) {
				assertThat(extra.read()).isNull();
			}
			await().atMost(WAIT).untilAsserted(() -> assertThat(output)
				.contains("closed a connection: 16 others are still to send their hello"));
		}
		finally {
			waiting.forEach(RawPeer::close);
		}
	}

	@Test
	void workerThatStopsReadingNeverBlocksTheSender(CapturedOutput output) throws Exception {
		try (RawPeer peer = new RawPeer()) {
			peer.hello(2);
			await().atMost(WAIT).until(() -> this.connected.size() == 1);
			ControlConnection connection = this.connected.get(0);
			byte[] body = new byte[16 * 1024 * 1024];
			int queued = 0;
			while (connection.send(new ControlMessage.Delivery(1, "bytes"), body)) {
				queued++;
			}
			assertThat(queued).isLessThanOrEqualTo(
					(int) (SocketControlConnection.MAX_QUEUED_BYTES / body.length));
			assertThat(connection.isOpen()).isTrue();
			assertThat(output).contains("Control messages to worker 2 (pid 1002): it does not read them; "
					+ "dropped a 'message' message");
		}
	}

	@Test
	void framesFromConcurrentSendersKeepTheirOrderAndBoundariesWrittenAtOnceOrQueued() throws Exception {
		int senders = 4;
		int perSender = 2_000;
		try (RawPeer peer = new RawPeer()) {
			peer.hello(2);
			await().atMost(WAIT).until(() -> this.connected.size() == 1);
			ControlConnection connection = this.connected.get(0);
			// The peer reads nothing until all are sent: the first frames go at once, then
			// large bodies fill the socket and the rest waits in the queue
			AtomicInteger notQueued = new AtomicInteger();
			List<Thread> threads = new ArrayList<>();
			for (int sender = 0; sender < senders; sender++) {
				int from = sender;
				Thread thread = new Thread(() -> {
					for (int sequence = 0; sequence < perSender; sequence++) {
						if (!connection.send(new ControlMessage.Delivery(from, Integer.toString(sequence)),
								body(from, sequence))) {
							notQueued.incrementAndGet();
						}
					}
				});
				thread.start();
				threads.add(thread);
			}
			for (Thread thread : threads) {
				thread.join();
			}
			assertThat(notQueued).hasValue(0);
			int[] next = new int[senders];
			for (int i = 0; i < senders * perSender; i++) {
				Frame<ControlMessage> frame = peer.read();
				ControlMessage.Delivery delivery = (ControlMessage.Delivery) frame.message();
				int sequence = Integer.parseInt(delivery.payloadType());
				assertThat(sequence).isEqualTo(next[delivery.from()]++);
				assertThat(frame.body()).isEqualTo(body(delivery.from(), sequence));
			}
			assertThat(next).containsOnly(perSender);
		}
	}

	private static byte[] body(int from, int sequence) {
		byte[] body = new byte[(sequence % 100 == 99) ? 256 * 1024 : sequence % 7];
		Arrays.fill(body, (byte) (from * 31 + sequence));
		return body;
	}

	@Test
	void workerThatDoesNotReadHoldsUpNoOtherWorker() throws Exception {
		try (RawPeer stuck = new RawPeer(); RawPeer reading = new RawPeer()) {
			stuck.hello(1);
			reading.hello(2);
			await().atMost(WAIT).until(() -> this.connected.size() == 2);
			ControlConnection toStuck = this.connected.stream().filter((c) -> c.workerId() == 1).findFirst().get();
			ControlConnection toReading = this.connected.stream().filter((c) -> c.workerId() == 2).findFirst().get();
			byte[] large = new byte[10 * 1024 * 1024];
			assertThat(toStuck.send(new ControlMessage.Delivery(2, "large"), large)).isTrue();
			assertThat(toStuck.send(new ControlMessage.Delivery(2, "after"), Frame.NO_BODY)).isTrue();
			assertThat(toReading.send(new ControlMessage.Delivery(1, "small"), Frame.NO_BODY)).isTrue();
			assertThat(reading.read().message()).isEqualTo(new ControlMessage.Delivery(1, "small"));
			Frame<ControlMessage> first = stuck.read();
			assertThat(first.message()).isEqualTo(new ControlMessage.Delivery(2, "large"));
			assertThat(first.body()).hasSize(large.length);
			assertThat(stuck.read().message()).isEqualTo(new ControlMessage.Delivery(2, "after"));
		}
	}

	@Test
	void clientNoticesWhenTheServerCloses() throws Exception {
		AtomicInteger gone = new AtomicInteger();
		ControlClient client = connect(this.secret, 1, new CopyOnWriteArrayList<>(), gone::incrementAndGet);
		CompletableFuture<ControlMessage.Status> pending = client.request(new ControlMessage.StatusRequest(),
				Frame.NO_BODY, ControlMessage.Status.class, Duration.ofSeconds(30));
		this.server.close();
		await().atMost(WAIT).until(() -> gone.get() == 1);
		assertThat(pending).isCompletedExceptionally();
	}

	private ControlClient connect(ClusterSecret secret, int id, List<Frame<MasterMessage>> messages,
			Runnable onDisconnected) throws IOException {
		WorkerIdentity identity = new WorkerIdentity(id, this.directory.socketPath(), secret, 1, null);
		ControlClient client = ControlClient.connect(identity, 1000 + id, WAIT, messages::add, onDisconnected);
		this.clients.add(client);
		return client;
	}

	/**
	 * A client that writes whatever it is told to.
	 */
	private final class RawPeer implements AutoCloseable {

		private final SocketChannel channel;

		private final FrameChannel frames;

		RawPeer() throws IOException {
			Path socket = ControlChannelTests.this.directory.socketPath();
			this.channel = SocketChannel.open(StandardProtocolFamily.UNIX);
			this.channel.connect(UnixDomainSocketAddress.of(socket));
			this.frames = new FrameChannel(this.channel);
		}

		void hello(int workerId) throws IOException {
			this.frames.write(0, 0, new ControlMessage.Hello(ControlProtocol.VERSION, ControlProtocol.MIN_VERSION,
					ControlChannelTests.this.secret.value(), workerId, 1000 + workerId), Frame.NO_BODY);
			assertThat(read().message()).isEqualTo(new ControlMessage.Welcome(ControlProtocol.VERSION));
		}

		void writeLine(String line) throws IOException {
			write((line + "\n").getBytes(StandardCharsets.UTF_8));
		}

		void write(byte[] bytes) throws IOException {
			ByteBuffer buffer = ByteBuffer.wrap(bytes);
			while (buffer.hasRemaining()) {
				this.channel.write(buffer);
			}
		}

		Frame<ControlMessage> read() throws IOException {
			return this.frames.read();
		}

		@Override
		public void close() {
			this.frames.close();
		}

	}

}
