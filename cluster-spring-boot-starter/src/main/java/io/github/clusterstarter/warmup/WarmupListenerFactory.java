package io.github.clusterstarter.warmup;

import java.util.Optional;

import org.springframework.boot.web.server.WebServer;

/**
 * Opens a {@link WarmupListener} on the web servers of one kind (Tomcat, Jetty, Reactor
 * Netty).
 */
public interface WarmupListenerFactory {

	/**
	 * Open a private loopback listener on the given web server, which is started.
	 * @param webServer the worker's web server
	 * @return the listener, or empty if the web server is not of this factory's kind
	 * @throws Exception if the listener cannot be opened
	 */
	Optional<WarmupListener> open(WebServer webServer) throws Exception;

}
