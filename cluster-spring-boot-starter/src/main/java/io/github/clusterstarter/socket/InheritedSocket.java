package io.github.clusterstarter.socket;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;

/**
 * The listening socket a worker inherits from its master on fd 0.
 */
public final class InheritedSocket {

	private InheritedSocket() {
	}

	/**
	 * Return the inherited listening socket.
	 * @return the channel, or empty if fd 0 is not a listening socket
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
	 * Load JNA and libc now. JNA unpacks its native library into a temporary directory on
	 * first use, which is slow and must not first happen while a worker is stopping.
	 */
	public static void preloadNative() {
		LibC.get();
	}

}
