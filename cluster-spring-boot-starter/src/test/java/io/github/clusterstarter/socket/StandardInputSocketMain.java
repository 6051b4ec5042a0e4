package io.github.clusterstarter.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Run by {@link InheritedSocketTest} in child processes, because moving a socket to
 * standard input would replace the test JVM's own. As {@code master} it binds, moves the
 * socket to fd 0 and starts itself as {@code worker} with that input, as the cluster
 * master does; the worker accepts a connection on the inherited channel, then closes it.
 */
public final class StandardInputSocketMain {

	private StandardInputSocketMain() {
	}

	public static void main(String[] args) throws Exception {
		if (args[0].equals("master")) {
			master();
		}
		else {
			worker(args[0]);
		}
	}

	private static void master() throws Exception {
		ListeningSocket socket = ListeningSocket.bind("127.0.0.1", 0, 50);
		socket.moveToStandardInput();
		System.out.println("master fd=" + socket.fd() + " port=" + socket.port() + " stdin="
				+ Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString().startsWith("socket:"));
		report("master", socket.port());
		Process worker = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), StandardInputSocketMain.class.getName(),
				String.valueOf(socket.port())))
			.redirectInput(ProcessBuilder.Redirect.INHERIT)
			.redirectOutput(ProcessBuilder.Redirect.INHERIT)
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		System.out.println("worker exit=" + worker.waitFor());
		socket.close();
		System.out.println("master closed stdin="
				+ Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString().equals("/dev/null"));
	}

	private static void worker(String expectedPort) throws IOException {
		ServerSocketChannel channel = report("worker", Integer.parseInt(expectedPort));
		try (Socket client = new Socket("127.0.0.1", Integer.parseInt(expectedPort));
				SocketChannel accepted = channel.accept()) {
			System.out.println("worker accepted=" + accepted.getRemoteAddress().equals(client.getLocalSocketAddress()));
		}
		StandardStreams streams = StandardStreams.save();
		channel.close();
		System.out.println("worker lost");
		System.out.flush();
		streams.restore();
		System.out.println("worker restored");
	}

	private static ServerSocketChannel report(String role, int expectedPort) throws IOException {
		Optional<ServerSocketChannel> channel = InheritedSocket.listeningChannel();
		System.out.println(role + " inherited=" + channel.isPresent());
		if (channel.isEmpty()) {
			System.exit(1);
		}
		int port = ((InetSocketAddress) channel.get().getLocalAddress()).getPort();
		System.out.println(role + " portMatches=" + (port == expectedPort));
		return channel.get();
	}

}
