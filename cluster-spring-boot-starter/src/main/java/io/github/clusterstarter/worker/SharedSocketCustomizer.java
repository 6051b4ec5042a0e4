package io.github.clusterstarter.worker;

import org.springframework.boot.web.server.WebServerFactory;

/**
 * Makes one kind of web server serve the socket a worker shares with its siblings. Each
 * server the cluster supports has one; see {@link WebServerFactoryCheck}.
 */
public interface SharedSocketCustomizer {

	/**
	 * Return the type of web server factory this customizer makes serve the shared
	 * socket.
	 * @return the factory type
	 */
	Class<? extends WebServerFactory> factoryType();

}
