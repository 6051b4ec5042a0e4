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
		return socket.isAdopted() ? new AdoptedSocketListener(socket) : new ListeningSocketListener(socket);
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

	/**
	 * A socket that systemd passed (socket activation) and keeps open after the master
	 * closes its copy: it keeps admitting, and what it queued while the cluster stops
	 * waits for the next start of the service instead of being refused.
	 */
	record AdoptedSocketListener(ListeningSocket socket) implements SharedListener {

		@Override
		public void stopAdmitting() {
		}

		@Override
		public int queuedConnections() {
			return 0;
		}

		@Override
		public void close() {
			this.socket.close();
		}

	}

}
