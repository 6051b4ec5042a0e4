package io.github.clusterstarter.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import com.sun.jna.ptr.IntByReference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

class ListeningSocketTests {

	@Test
	void bindsIpv4LoopbackOnAFreePort() throws IOException {
		try (ListeningSocket socket = ListeningSocket.bind("127.0.0.1", 0, 50)) {
			assertThat(socket.port()).isPositive();
			assertThat(socket.host()).isEqualTo("127.0.0.1");
			assertThat(socket.isIpv6()).isFalse();
			assertThat(socket.fd()).isGreaterThan(2);
			assertThat(socket).hasToString("ListeningSocket[127.0.0.1:%d]", socket.port());
			assertAcceptsConnection("127.0.0.1", socket.port());
		}
	}

	@Test
	void bindsIpv6Loopback() throws IOException {
		assumeIpv6Loopback();
		try (ListeningSocket socket = ListeningSocket.bind("::1", 0, 50)) {
			assertThat(socket.port()).isPositive();
			assertThat(socket.host()).isEqualTo("0:0:0:0:0:0:0:1");
			assertThat(socket.isIpv6()).isTrue();
			assertAcceptsConnection("::1", socket.port());
		}
	}

	@Test
	void bindsBracketedIpv6Literal() throws IOException {
		assumeIpv6Loopback();
		try (ListeningSocket socket = ListeningSocket.bind("[::1]", 0, 50)) {
			assertThat(socket.host()).isEqualTo("0:0:0:0:0:0:0:1");
		}
	}

	@Test
	void bindsHostName() throws IOException {
		try (ListeningSocket socket = ListeningSocket.bind("localhost", 0, 50)) {
			assertThat(socket.host()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
			assertAcceptsConnection(socket.host(), socket.port());
		}
	}

	@Test
	void bindsAllAddressesWhenHostIsNull() throws IOException {
		try (ListeningSocket socket = ListeningSocket.bind(null, 0, 50)) {
			assertThat(socket.port()).isPositive();
			assertThat(socket.host()).isEqualTo(socket.isIpv6() ? "0:0:0:0:0:0:0:0" : "0.0.0.0");
			assertAcceptsConnection("127.0.0.1", socket.port());
			if (socket.isIpv6() && hasIpv6Loopback()) {
				assertAcceptsConnection("::1", socket.port());
			}
		}
	}

	@Test
	void bindsAllAddressesWhenHostIsEmpty() throws IOException {
		try (ListeningSocket socket = ListeningSocket.bind("", 0, 50)) {
			assertThat(InetAddress.getByName(socket.host()).isAnyLocalAddress()).isTrue();
			assertAcceptsConnection("127.0.0.1", socket.port());
		}
	}

	@Test
	void failsWhenPortIsInUse() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			int port = taken.getLocalPort();
			assertThatExceptionOfType(SocketBindException.class)
				.isThrownBy(() -> ListeningSocket.bind("127.0.0.1", port, 50))
				.withMessage("Could not bind 127.0.0.1:%d: Address already in use (errno 98)", port)
				.satisfies((ex) -> {
					assertThat(ex.getReason()).isEqualTo(SocketBindException.Reason.ADDRESS_IN_USE);
					assertThat(ex.getErrno()).isEqualTo(98);
					assertThat(ex.getHost()).isEqualTo("127.0.0.1");
					assertThat(ex.getPort()).isEqualTo(port);
				});
		}
	}

	@Test
	void failsOnAllAddressesWhenPortIsInUse() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			int port = taken.getLocalPort();
			assertThatExceptionOfType(SocketBindException.class).isThrownBy(() -> ListeningSocket.bind(null, port, 50))
				.withMessageContaining(":%d: Address already in use".formatted(port))
				.satisfies((ex) -> {
					assertThat(ex.getReason()).isEqualTo(SocketBindException.Reason.ADDRESS_IN_USE);
					assertThat(ex.getHost()).isNull();
				});
		}
	}

	@Test
	void failsWhenAddressIsNotLocal() throws IOException {
		Path nonLocalBind = Path.of("/proc/sys/net/ipv4/ip_nonlocal_bind");
		if (Files.exists(nonLocalBind)) {
			assumeThat(Files.readString(nonLocalBind).trim()).as("net.ipv4.ip_nonlocal_bind").isEqualTo("0");
		}
		// TEST-NET-1: binding does not send anything
		assertThatExceptionOfType(SocketBindException.class)
			.isThrownBy(() -> ListeningSocket.bind("192.0.2.1", 8080, 50))
			.withMessage("Could not bind 192.0.2.1:8080: Cannot assign requested address (errno 99)")
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(SocketBindException.Reason.ADDRESS_NOT_AVAILABLE);
				assertThat(ex.getErrno()).isEqualTo(99);
			});
	}

	@Test
	void failsWhenHostDoesNotResolve() {
		// Rejected by InetAddress without a DNS query
		assertThatExceptionOfType(SocketBindException.class).isThrownBy(() -> ListeningSocket.bind("[::1", 8080, 50))
			.withMessage("Could not bind [::1:8080: unknown host")
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(SocketBindException.Reason.UNKNOWN_HOST);
				assertThat(ex.getErrno()).isZero();
				assertThat(ex.getHost()).isEqualTo("[::1");
			});
	}

	@Test
	void mapsErrnoToReason() {
		assertThat(SocketBindException.Reason.forErrno(98)).isEqualTo(SocketBindException.Reason.ADDRESS_IN_USE);
		assertThat(SocketBindException.Reason.forErrno(13)).isEqualTo(SocketBindException.Reason.PERMISSION_DENIED);
		assertThat(SocketBindException.Reason.forErrno(99))
			.isEqualTo(SocketBindException.Reason.ADDRESS_NOT_AVAILABLE);
		assertThat(SocketBindException.Reason.forErrno(24)).isEqualTo(SocketBindException.Reason.OTHER);
	}

	@Test
	void rejectsInvalidPort() {
		assertThatIllegalArgumentException().isThrownBy(() -> ListeningSocket.bind("127.0.0.1", -1, 50))
			.withMessage("Port must be between 0 and 65535, but was -1");
		assertThatIllegalArgumentException().isThrownBy(() -> ListeningSocket.bind("127.0.0.1", 70000, 50))
			.withMessage("Port must be between 0 and 65535, but was 70000");
	}

	@Test
	void rejectsInvalidBacklog() {
		assertThatIllegalArgumentException().isThrownBy(() -> ListeningSocket.bind("127.0.0.1", 0, 0))
			.withMessage("Backlog must be at least 1, but was 0");
	}

	@Test
	void closeReleasesThePortAndIsIdempotent() throws IOException {
		ListeningSocket socket = ListeningSocket.bind("127.0.0.1", 0, 50);
		socket.close();
		socket.close();
		assertThat(socket.fd()).isEqualTo(-1);
		try (ServerSocket again = new ServerSocket(socket.port(), 1, InetAddress.getByName("127.0.0.1"))) {
			assertThat(again.getLocalPort()).isEqualTo(socket.port());
		}
	}

	@Test
	void closesTheSocketWhenBindingFails() throws IOException {
		long before = countOpenSockets();
		assertThatExceptionOfType(SocketBindException.class)
			.isThrownBy(() -> ListeningSocket.bind("192.0.2.1", 8080, 50));
		assertThat(countOpenSockets()).isEqualTo(before);
	}

	private static void assertAcceptsConnection(String host, int port) throws IOException {
		// The kernel completes the handshake into the backlog without an accept() call
		try (Socket client = new Socket()) {
			client.connect(new InetSocketAddress(InetAddress.getByName(host), port), 5000);
			assertThat(client.isConnected()).isTrue();
			assertThat(client.getPort()).isEqualTo(port);
		}
	}

	private static long countOpenSockets() throws IOException {
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.filter((fd) -> {
				try {
					return Files.readSymbolicLink(fd).toString().startsWith("socket:");
				}
				catch (IOException ex) {
					// closed since it was listed
					return false;
				}
			}).count();
		}
	}

	private static void assumeIpv6Loopback() {
		assumeThat(hasIpv6Loopback()).as("IPv6 loopback available").isTrue();
	}

	private static boolean hasIpv6Loopback() {
		try {
			new ServerSocket(0, 1, InetAddress.getByName("::1")).close();
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Test
	void adoptsASocketThatListensWithItsAddressAndPort() throws IOException {
		try (ListeningSocket bound = ListeningSocket.bind("127.0.0.1", 0, 50)) {
			int copy = LibC.get().dup(bound.fd());
			try (ListeningSocket adopted = ListeningSocket.adopt(copy)) {
				assertThat(adopted.isAdopted()).isTrue();
				assertThat(bound.isAdopted()).isFalse();
				assertThat(adopted.port()).isEqualTo(bound.port());
				assertThat(adopted.host()).isEqualTo("127.0.0.1");
				assertAcceptsConnection("127.0.0.1", adopted.port());
			}
		}
	}

	@Test
	void refusesToAdoptWhatIsNotAListeningTcpSocket() throws IOException {
		Path file = Files.createTempFile("not-a-socket", ".txt");
		int fd = LibC.get().open(file.toString(), LibC.O_RDWR);
		try {
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> ListeningSocket.adopt(fd))
				.withMessageContaining("File descriptor %d is not a listening TCP socket", fd);
		}
		finally {
			LibC.closeQuietly(fd);
			Files.delete(file);
		}
		int udp = LibC.get().socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0);
		try {
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> ListeningSocket.adopt(udp))
				.withMessage("File descriptor %d is not a listening TCP socket", udp);
		}
		finally {
			LibC.closeQuietly(udp);
		}
	}

	@Test
	void aSocketThatStopsAdmittingKeepsWhatItQueuedAndLeavesNewClientsUnanswered() throws IOException {
		try (ListeningSocket socket = ListeningSocket.bind("127.0.0.1", 0, 50);
				Socket queued = new Socket("127.0.0.1", socket.port())) {
			await().atMost(Duration.ofSeconds(5)).until(() -> socket.queuedConnections() == 1);
			socket.stopAdmitting();
			// Packets of connections the kernel completed still pass
			queued.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			try (Socket late = new Socket()) {
				assertThatExceptionOfType(SocketTimeoutException.class)
					.isThrownBy(() -> late.connect(new InetSocketAddress("127.0.0.1", socket.port()), 500));
			}
			assertThat(socket.queuedConnections()).isOne();
		}
	}

	@Test
	void aDeferredAcceptQueuesAConnectionOnceItsFirstBytesArrive() throws IOException {
		try (ListeningSocket socket = ListeningSocket.bind("127.0.0.1", 0, 50)) {
			assertThat(socket.deferAccept(Duration.ofSeconds(10))).isTrue();
			// The kernel rounds up to its retransmission steps: 1 + 2 + 4 + 8 s
			assertThat(deferral(socket)).isEqualTo(15);
			try (Socket silent = new Socket("127.0.0.1", socket.port());
					Socket talking = new Socket("127.0.0.1", socket.port())) {
				talking.getOutputStream().write('G');
				await().atMost(Duration.ofSeconds(5)).until(() -> socket.queuedConnections() == 1);
				await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
					.until(() -> socket.queuedConnections() == 1);
				silent.getOutputStream().write('G');
				await().atMost(Duration.ofSeconds(5)).until(() -> socket.queuedConnections() == 2);
			}
		}
	}

	@Test
	void aSocketOnAllAddressesDefersIpv4ConnectionsToo() throws IOException {
		try (ListeningSocket socket = ListeningSocket.bind(null, 0, 50)) {
			assertThat(socket.deferAccept(Duration.ofSeconds(10))).isTrue();
			try (Socket silent = new Socket("127.0.0.1", socket.port())) {
				await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
					.until(() -> socket.queuedConnections() == 0);
				silent.getOutputStream().write('G');
				await().atMost(Duration.ofSeconds(5)).until(() -> socket.queuedConnections() == 1);
			}
		}
	}

	@Test
	void aConnectionThatSendsNothingIsQueuedOnceTheDeferralEnds() throws IOException {
		try (ListeningSocket socket = ListeningSocket.bind("127.0.0.1", 0, 50)) {
			socket.deferAccept(Duration.ofSeconds(1));
			try (Socket silent = new Socket("127.0.0.1", socket.port())) {
				await().atMost(Duration.ofSeconds(10)).until(() -> socket.queuedConnections() == 1);
			}
		}
	}

	@Test
	void aZeroDeferralQueuesEveryConnectionWhenItsHandshakeCompletes() throws IOException {
		try (ListeningSocket socket = ListeningSocket.bind("127.0.0.1", 0, 50)) {
			socket.deferAccept(Duration.ofSeconds(10));
			assertThat(socket.deferAccept(Duration.ZERO)).isTrue();
			assertThat(deferral(socket)).isZero();
			try (Socket silent = new Socket("127.0.0.1", socket.port())) {
				await().atMost(Duration.ofSeconds(5)).until(() -> socket.queuedConnections() == 1);
			}
		}
	}

	@Test
	void aDeferredConnectionWhoseRequestArrivesAfterTheSocketStoppedAdmittingIsStillQueued() throws IOException {
		try (ListeningSocket socket = ListeningSocket.bind("127.0.0.1", 0, 50)) {
			socket.deferAccept(Duration.ofSeconds(10));
			try (Socket deferred = new Socket("127.0.0.1", socket.port())) {
				socket.stopAdmitting();
				deferred.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				await().atMost(Duration.ofSeconds(5)).until(() -> socket.queuedConnections() == 1);
			}
		}
	}

	@Test
	void saysSoWhenTheKernelRefusesTheDeferral() throws IOException {
		try (ListeningSocket socket = ListeningSocket.bind("127.0.0.1", 0, 50)) {
			// Planted: the socket's descriptor now names a file that is no socket
			int devNull = LibC.get().open("/dev/null", LibC.O_RDWR);
			LibC.get().dup2(devNull, socket.fd());
			LibC.closeQuietly(devNull);
			assertThat(socket.deferAccept(Duration.ofSeconds(1))).isFalse();
		}
	}

	@Test
	void refusesANegativeDeferral() {
		try (ListeningSocket socket = ListeningSocket.bind("127.0.0.1", 0, 50)) {
			assertThatIllegalArgumentException().isThrownBy(() -> socket.deferAccept(Duration.ofSeconds(-1)))
				.withMessage("Timeout must not be negative");
		}
	}

	private static int deferral(ListeningSocket socket) {
		IntByReference value = new IntByReference();
		LibC.get().getsockopt(socket.fd(), LibC.IPPROTO_TCP, LibC.TCP_DEFER_ACCEPT, value.getPointer(),
				new IntByReference(Integer.BYTES));
		return value.getValue();
	}

}
