package io.github.clusterstarter.socket;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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
	 * Start loading JNA and the C library in the background, then keep the listening
	 * socket and the cluster's environment variables from the processes the application
	 * starts ({@link ChildEnvironment}). The first load unpacks a native library into a
	 * temporary directory, a few hundred milliseconds that need not delay the
	 * application's boot, and that should never first happen inside a shutdown hook.
	 * @return completes once the library is loaded, or with the reason it cannot be
	 */
	public static CompletableFuture<Void> preloadNative() {
		ChildEnvironment.removeFromJdkCopy();
		CompletableFuture<Void> loaded = new CompletableFuture<>();
		Thread loader = new Thread(() -> {
			try {
				keepFromChildren();
				ChildEnvironment.removeFromCLibrary();
				loaded.complete(null);
			}
			catch (Throwable ex) {
				loaded.completeExceptionally(ex);
			}
		}, "cluster-native-loader");
		loader.setDaemon(true);
		loader.start();
		return loaded;
	}

	/**
	 * Point standard input at {@code /dev/null} once the inherited channel exists: the
	 * JDK's channel works on a copy of fd 0 that child processes never get (the JDK closes
	 * every descriptor from 3 up in a child), while a child started with
	 * {@code ProcessBuilder.inheritIO()} gets fd 0 itself, and would hold the port open
	 * after the cluster is gone. (Marking fd 0 close-on-exec is no help: the JDK clears
	 * the mark to hand fd 0 to such a child.)
	 */
	static void keepFromChildren() {
		if (listeningChannel().isPresent()) {
			StandardStreams.replaceInputWithDevNull();
		}
	}

}
