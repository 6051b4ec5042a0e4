package io.github.clusterstarter.master;

import io.github.clusterstarter.socket.ListeningSocket;

/**
 * The listening socket the workers share, as the master's shutdown uses it: stop it from
 * admitting connections, see that the workers accepted what it admitted, and close the
 * master's copy.
 */
interface SharedListener {

	/**
	 * A listener that admits nothing, for a master that has not bound its socket.
	 */
	SharedListener NONE = new SharedListener() {

		@Override
		public void stopAdmitting() {
		}

		@Override
		public int queuedConnections() {
			return 0;
		}

		@Override
		public void close() {
		}

	};

	/**
	 * Return the listener of a bound socket.
	 * @param socket the socket
	 * @return its listener
	 */
	static SharedListener of(ListeningSocket socket) {
		SharedListener listener = new ListeningSocketListener(socket);
		return socket.isAdopted() ? handedOver(listener) : listener;
	}

	/**
	 * Return a listener for a socket that another process keeps serving after this master
	 * closed its copy (systemd under socket activation, or the master that replaces this
	 * one): it keeps admitting, and what is queued is left to that process.
	 * @param listener the socket's listener
	 * @return the listener that leaves the socket to the other process
	 */
	static SharedListener handedOver(SharedListener listener) {
		return new SharedListener() {

			@Override
			public void stopAdmitting() {
			}

			@Override
			public int queuedConnections() {
				return 0;
			}

			@Override
			public void close() {
				listener.close();
			}

		};
	}

	/**
	 * Stop the kernel from completing new connections; those it completed stay queued.
	 */
	void stopAdmitting();

	/**
	 * Return how many completed connections no worker has accepted yet.
	 * @return the length of the accept queue
	 */
	int queuedConnections();

	/**
	 * Close the master's copy of the socket.
	 */
	void close();

	/**
	 * The shared socket as the shutdown uses it.
	 */
	record ListeningSocketListener(ListeningSocket socket) implements SharedListener {

		@Override
		public void stopAdmitting() {
			this.socket.stopAdmitting();
		}

		@Override
		public int queuedConnections() {
			return this.socket.queuedConnections();
		}

		@Override
		public void close() {
			this.socket.close();
		}

	}

}
