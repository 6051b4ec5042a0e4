package io.github.clusterstarter.warmup;

/**
 * A private loopback listener that a worker's web server serves during the warm-up, next
 * to the shared socket it does not accept from yet, and that is removed afterwards.
 */
public interface WarmupListener extends AutoCloseable {

	/**
	 * Return the port the listener is bound to on {@code 127.0.0.1}.
	 * @return the port
	 */
	int port();

	/**
	 * Remove the listener from the web server and close it.
	 */
	@Override
	void close();

}
