package io.github.clusterstarter.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assumptions.assumeThat;

class ListeningSocketTests {

	@Test
	void bindsLoopbackOnAFreePort() throws IOException {
		try (ListeningSocket socket = ListeningSocket.bind("127.0.0.1", 0, 16)) {
			assertThat(socket.port()).isPositive();
			assertThat(socket.host()).isEqualTo("127.0.0.1");
			assertThat(socket.isIpv6()).isFalse();
			assertConnects("127.0.0.1", socket.port());
		}
	}

	@Test
	void bindsIpv6Loopback() throws IOException {
		ListeningSocket socket;
		try {
			socket = ListeningSocket.bind("::1", 0, 16);
		}
		catch (SocketBindException ex) {
			assumeThat(ex.getReason()).as("IPv6 available").isNotEqualTo(SocketBindException.Reason.ADDRESS_NOT_AVAILABLE);
			throw ex;
		}
		try (socket) {
			assertThat(socket.isIpv6()).isTrue();
			assertConnects("::1", socket.port());
		}
	}

	@Test
	void wildcardAcceptsIpv4() throws IOException {
		try (ListeningSocket socket = ListeningSocket.bind(null, 0, 16)) {
			assertConnects("127.0.0.1", socket.port());
		}
	}

	@Test
	void reportsPortInUse() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			assertThatExceptionOfType(SocketBindException.class)
				.isThrownBy(() -> ListeningSocket.bind("127.0.0.1", taken.getLocalPort(), 16))
				.satisfies((ex) -> {
					assertThat(ex.getReason()).isEqualTo(SocketBindException.Reason.ADDRESS_IN_USE);
					assertThat(ex.getPort()).isEqualTo(taken.getLocalPort());
				})
				.withMessageContaining("127.0.0.1:" + taken.getLocalPort())
				.withMessageContaining("errno 98");
		}
	}

	@Test
	void reportsAddressThatIsNotLocal() {
		assertThatExceptionOfType(SocketBindException.class)
			.isThrownBy(() -> ListeningSocket.bind("192.0.2.1", 0, 16))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(SocketBindException.Reason.ADDRESS_NOT_AVAILABLE));
	}

	@Test
	void reportsUnknownHost() {
		assertThatExceptionOfType(SocketBindException.class)
			.isThrownBy(() -> ListeningSocket.bind("no-such-host.invalid", 0, 16))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(SocketBindException.Reason.UNKNOWN_HOST));
	}

	@Test
	void rejectsInvalidArguments() {
		assertThatIllegalArgumentException().isThrownBy(() -> ListeningSocket.bind(null, -1, 16));
		assertThatIllegalArgumentException().isThrownBy(() -> ListeningSocket.bind(null, 70000, 16));
		assertThatIllegalArgumentException().isThrownBy(() -> ListeningSocket.bind(null, 0, 0));
	}

	@Test
	void standardStreamsSurviveSaveAndRestore() {
		StandardStreams saved = StandardStreams.save();
		saved.restore();
		saved.restore();
		System.out.println("stdout still works");
		assertThat(System.out.checkError()).isFalse();
	}

	private static void assertConnects(String host, int port) throws IOException {
		try (Socket client = new Socket()) {
			client.connect(new InetSocketAddress(host, port), 2000);
			assertThat(client.isConnected()).isTrue();
		}
	}

}
