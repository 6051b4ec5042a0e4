package io.github.clusterstarter.worker;

import java.util.List;

import io.github.clusterstarter.diagnostics.ClusterConfigurationException;

import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Fails a worker before its web server starts when no {@link SharedSocketCustomizer}
 * supports the server Spring Boot is about to create: such a server would bind the port
 * the master holds instead of sharing its socket.
 */
public class WebServerFactoryCheck implements WebServerFactoryCustomizer<WebServerFactory>, Ordered {

	private final List<SharedSocketCustomizer> customizers;

	/**
	 * Create a new check.
	 * @param customizers the customizers of the servers the cluster supports
	 */
	public WebServerFactoryCheck(List<SharedSocketCustomizer> customizers) {
		this.customizers = List.copyOf(customizers);
	}

	@Override
	public void customize(WebServerFactory factory) {
		if (this.customizers.stream().noneMatch((customizer) -> customizer.factoryType().isInstance(factory))) {
			throw new ClusterConfigurationException("cluster.workers is set, but this application's web server ("
					+ factory.getClass().getName() + ") cannot share the cluster's listening socket. Workers "
					+ "serve the socket the master binds through Spring Boot's Tomcat, Jetty or Reactor Netty "
					+ "server, with Spring MVC or WebFlux.",
					"Use one of those servers (spring-boot-starter-webmvc or spring-boot-starter-webflux, "
							+ "with spring-boot-starter-jetty or spring-boot-starter-tomcat to pick another "
							+ "server), or remove cluster.workers to run a single process.");
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
