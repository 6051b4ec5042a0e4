package io.github.clusterstarter.test;

import java.util.regex.Pattern;

import io.github.clusterstarter.testapp.TestApplication;

/**
 * A web server and web stack that the test application runs on as a cluster.
 * <p>
 * The test class path holds every server (Tomcat, Jetty, Reactor Netty) and both stacks
 * (Spring MVC and WebFlux); given all of them, Spring Boot would pick one (Jetty). Each
 * constant launches the application with the test class path less the jars of what it
 * must not run on ({@link ClusterLauncher#withoutJars(Pattern)}), so that Spring Boot
 * starts exactly the server and stack it names, as in an application that depends on
 * that server and stack only. Tests that choose none run on Spring MVC on Tomcat (see
 * {@link ClusterLauncher#WITHOUT_JARS_PROPERTY} in this module's build). Which server and
 * stack served a request shows in {@code /whoami}.
 */
public enum WebStack {

	/**
	 * Spring MVC on Tomcat, Spring Boot's default.
	 */
	TOMCAT_MVC("TomcatWebServer", "mvc", Jars.JETTY, Jars.NETTY_SERVER),

	/**
	 * Spring MVC on Jetty.
	 */
	JETTY_MVC("JettyServletWebServer", "mvc", Jars.TOMCAT, Jars.NETTY_SERVER),

	/**
	 * WebFlux on Reactor Netty, Spring Boot's default for WebFlux.
	 */
	NETTY_WEBFLUX("NettyWebServer", "webflux", Jars.MVC, Jars.TOMCAT, Jars.JETTY),

	/**
	 * WebFlux on Jetty.
	 */
	JETTY_WEBFLUX("JettyWebServer", "webflux", Jars.MVC, Jars.TOMCAT, Jars.NETTY_SERVER),

	/**
	 * WebFlux on Tomcat.
	 */
	TOMCAT_WEBFLUX("TomcatWebServer", "webflux", Jars.MVC, Jars.JETTY, Jars.NETTY_SERVER);

	private final String server;

	private final String stack;

	private final Pattern leftOut;

	WebStack(String server, String stack, String... leftOut) {
		this.server = server;
		this.stack = stack;
		this.leftOut = Pattern.compile(String.join("|", leftOut));
	}

	/**
	 * Return the simple name of Spring Boot's web server class for this server.
	 * @return the web server's class name, e.g. {@code JettyServletWebServer}
	 */
	public String server() {
		return this.server;
	}

	/**
	 * Return the web stack: {@code mvc} or {@code webflux}.
	 * @return the stack
	 */
	public String stack() {
		return this.stack;
	}

	/**
	 * Return a launcher of the {@link TestApplication} on this server and stack.
	 * @return the launcher
	 */
	public ClusterLauncher launcher() {
		return ClusterLauncher.forApplication(TestApplication.class).withoutJars(this.leftOut);
	}

	/**
	 * Jar name patterns.
	 */
	private static final class Jars {

		static final String TOMCAT = "^(spring-boot-tomcat|tomcat-embed-core|tomcat-embed-websocket)-";

		static final String JETTY = "^(spring-boot-jetty|jetty)-";

		/**
		 * Spring Boot's Reactor Netty server; Reactor Netty itself stays, as a WebClient
		 * would need it.
		 */
		static final String NETTY_SERVER = "^spring-boot-reactor-netty-";

		static final String MVC = "^(spring-webmvc|spring-boot-webmvc)-";

	}

}
