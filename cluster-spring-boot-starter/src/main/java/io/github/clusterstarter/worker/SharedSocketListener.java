package io.github.clusterstarter.worker;

/**
 * The part of a worker's web server that takes connections from the socket it shares
 * with its siblings: what the {@link ConnectionDrainer} stops and watches.
 */
public interface SharedSocketListener {

	/**
	 * Stop taking connections from the shared socket, without disturbing the siblings
	 * that keep accepting from it. Connections already accepted are served as usual.
	 * Idempotent.
	 */
	void stopAccepting();

	/**
	 * Return the number of client connections the server holds.
	 * @return the number of open connections
	 */
	long openConnections();

}
