package io.github.clusterstarter.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs a test once on each web server the cluster supports, given a {@link WebStack}:
 * Spring MVC on Tomcat and on Jetty, WebFlux on Reactor Netty. WebFlux on Tomcat and on
 * Jetty run the same server support as Spring MVC and are left to cheaper tests.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ParameterizedTest(name = "{0}")
@EnumSource(value = WebStack.class, names = { "TOMCAT_MVC", "JETTY_MVC", "NETTY_WEBFLUX" })
public @interface OnEveryServer {

}
