package io.github.clusterstarter.socket;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;

/**
 * Access, from a worker, to the listening socket the master passed on standard input.
 */
public final class InheritedSocket {

	private InheritedSocket() {
	}

	/**
	 * Return the listening socket this process inherited on standard input.
	 * @return the channel of the socket, or empty if standard input is not a listening
	 * socket
	 */
	public static Optional<ServerSocketChannel> listeningChannel() {
		try {
			Channel channel = System.inheritedChannel();
			return (channel instanceof ServerSocketChannel serverChannel) ? Optional.of(serverChannel)
					: Optional.empty();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Load JNA and the C library now rather than on first use. The first load unpacks a
	 * native library into a temporary directory, which should not happen for the first
	 * time inside a shutdown hook.
	 */
	public static void preloadNative() {
		LibC.get();
	}

}
