package io.github.clusterstarter.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class ControlChannelTests {

	private final ClusterSecret secret = ClusterSecret.generate();

	private final List<ControlConnection> connected = new CopyOnWriteArrayList<>();

	private final List<Message> received = new CopyOnWriteArrayList<>();

	private final List<ControlConnection> disconnected = new CopyOnWriteArrayList<>();

	private ControlDirectory directory;

	private ControlServer server;

	private final List<ControlClient> clients = new CopyOnWriteArrayList<>();

	@BeforeEach
	void startServer() throws IOException {
		this.directory = ControlDirectory.create();
		this.server = new ControlServer(this.directory, this.secret, new ControlServer.Listener() {

			@Override
			public void onConnected(ControlConnection connection) {
				ControlChannelTests.this.connected.add(connection);
			}

			@Override
			public void onMessage(ControlConnection connection, Message message) {
				ControlChannelTests.this.received.add(message);
				switch (message.type()) {
					case "echo" -> connection.reply(message, Message.of("echo", "value", message.get("value")));
					case "fail" -> connection.replyError(message, "invalid", "nope");
					default -> {
					}
				}
			}

			@Override
			public void onDisconnected(ControlConnection connection) {
				ControlChannelTests.this.disconnected.add(connection);
			}

		}, Duration.ofMillis(300));
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.clients.forEach(ControlClient::close);
		this.server.close();
		this.directory.delete();
	}

	private ControlClient connect(ClusterSecret secret, int id, Runnable onDisconnected) throws IOException {
		ControlClient client = ControlClient.connect(this.directory.socketPath(), secret, id, 1000 + id,
				(message) -> {
				}, onDisconnected);
		this.clients.add(client);
		return client;
	}

	@Test
	void directoryIsPrivate() throws IOException {
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.directory.path())))
			.isEqualTo("rwx------");
	}

	@Test
	void authenticatedClientIsConnectedAndAnswered() throws Exception {
		ControlClient client = connect(this.secret, 3, () -> {
		});
		await().atMost(Duration.ofSeconds(5)).until(() -> this.connected.size() == 1);
		assertThat(this.connected.get(0).workerId()).isEqualTo(3);
		assertThat(this.connected.get(0).pid()).isEqualTo(1003);
		Message answer = client.request(Message.of("echo", "value", "hi"), Duration.ofSeconds(5)).get();
		assertThat(answer.type()).isEqualTo("response");
		assertThat(answer.getString("value")).isEqualTo("hi");
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> client.request(Message.of("fail"), Duration.ofSeconds(5)).get())
			.withCauseInstanceOf(ControlRequestException.class)
			.withMessageContaining("nope");
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> client.request(Message.of("ignored"), Duration.ofMillis(200)).get())
			.withCauseInstanceOf(TimeoutException.class);
	}

	@Test
	void wrongSecretIsRejectedAndServerKeepsServing() throws Exception {
		AtomicInteger rejectedClosed = new AtomicInteger();
		connect(ClusterSecret.generate(), 1, rejectedClosed::incrementAndGet);
		await().atMost(Duration.ofSeconds(5)).until(() -> rejectedClosed.get() == 1);
		assertThat(this.connected).isEmpty();
		connect(this.secret, 2, () -> {
		});
		await().atMost(Duration.ofSeconds(5)).until(() -> this.connected.size() == 1);
	}

	@Test
	void malformedLineClosesOnlyThatConnection() throws Exception {
		ControlClient good = connect(this.secret, 1, () -> {
		});
		try (SocketChannel raw = rawConnection()) {
			write(raw, Message.of("hello", "secret", this.secret.value(), "worker", 2, "pid", 2).toJson() + "\n");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.connected.size() == 2);
			write(raw, "{not json\n");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.disconnected.size() == 1);
			assertThat(this.disconnected.get(0).workerId()).isEqualTo(2);
		}
		assertThat(good.request(Message.of("echo", "value", 1), Duration.ofSeconds(5)).get().getInt("value"))
			.isEqualTo(1);
	}

	@Test
	void workerThatStopsReadingNeverBlocksTheSenderAndIsDisconnected() throws Exception {
		try (SocketChannel raw = rawConnection()) {
			write(raw, Message.of("hello", "secret", this.secret.value(), "worker", 2, "pid", 2).toJson() + "\n");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.connected.size() == 1);
			ControlConnection connection = this.connected.get(0);
			Message big = Message.of("message", "payload", "x".repeat(Message.MAX_LENGTH / 2));
			long started = System.nanoTime();
			int queued = 0;
			while (connection.send(big)) {
				queued++;
			}
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
			assertThat(queued).isBetween(16, 40);
			await().atMost(Duration.ofSeconds(5)).until(() -> this.disconnected.size() == 1);
		}
	}

	@Test
	void overlongLineIsRejectedWithoutReadingItAll() throws Exception {
		try (SocketChannel raw = rawConnection()) {
			write(raw, Message.of("hello", "secret", this.secret.value(), "worker", 2, "pid", 2).toJson() + "\n");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.connected.size() == 1);
			CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
				try {
					write(raw, "x".repeat(8 * Message.MAX_LENGTH));
				}
				catch (IOException ex) {
					// The server closed the connection while we were writing
				}
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> this.disconnected.size() == 1);
			writing.get();
		}
	}

	@Test
	void silentClientIsDroppedAfterTheHelloTimeout() throws Exception {
		try (SocketChannel raw = rawConnection()) {
			ByteBuffer buffer = ByteBuffer.allocate(16);
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.read(buffer.clear()) < 0);
		}
		assertThat(this.connected).isEmpty();
	}

	@Test
	void clientNoticesWhenTheServerCloses() throws Exception {
		AtomicInteger gone = new AtomicInteger();
		ControlClient client = connect(this.secret, 1, gone::incrementAndGet);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.connected.size() == 1);
		CompletableFuture<Message> pending = client.request(Message.of("ignored"), Duration.ofSeconds(30));
		this.server.close();
		await().atMost(Duration.ofSeconds(2)).until(() -> gone.get() == 1);
		assertThat(pending).isCompletedExceptionally();
	}

	private SocketChannel rawConnection() throws IOException {
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		channel.connect(UnixDomainSocketAddress.of(this.directory.socketPath()));
		return channel;
	}

	private static void write(SocketChannel channel, String text) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
		while (buffer.hasRemaining()) {
			channel.write(buffer);
		}
	}

}
