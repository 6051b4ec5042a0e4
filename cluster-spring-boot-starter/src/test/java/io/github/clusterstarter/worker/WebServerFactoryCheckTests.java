package io.github.clusterstarter.worker;

import java.util.List;

import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.jetty.JettyWebServerFactory;
import org.springframework.boot.jetty.reactive.JettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class WebServerFactoryCheckTests {

	private final WebServerFactoryCheck check = new WebServerFactoryCheck(
			List.of(() -> TomcatWebServerFactory.class, () -> JettyWebServerFactory.class));

	@Test
	void acceptsTheFactoriesOfSupportedServersAndTheirSubclasses() {
		assertThatNoException().isThrownBy(() -> this.check.customize(new TomcatServletWebServerFactory()));
		assertThatNoException().isThrownBy(() -> this.check.customize(new JettyReactiveWebServerFactory()));
	}

	@Test
	void rejectsAnyOtherServerBeforeItStarts() {
		assertThatExceptionOfType(ClusterConfigurationException.class)
			.isThrownBy(() -> this.check.customize(new CustomWebServerFactory()))
			.withMessageContaining("(" + CustomWebServerFactory.class.getName() + ") cannot share")
			.satisfies((ex) -> assertThat(ex.getAction())
				.contains("remove cluster.workers"));
	}

	static class CustomWebServerFactory implements WebServerFactory {

	}

}
