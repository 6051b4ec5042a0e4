package io.github.clusterstarter.test;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Decides which web endpoints a cluster started from the test class path exposes: those
 * its configuration exposes, and also {@code cluster}, which {@link RunningCluster} reads,
 * and {@code health}. A command-line argument replaces the configured list instead of
 * adding to it, so the list is read first, as the application will read it.
 */
final class EndpointExposure {

	static final String PROPERTY = "management.endpoints.web.exposure.include";

	private static final List<String> NEEDED = List.of("cluster", "health");

	private EndpointExposure() {
	}

	/**
	 * Return the endpoints to expose.
	 * @param properties the properties the cluster gets as command-line arguments
	 * @return the value of {@value #PROPERTY}
	 */
	static String include(Map<String, String> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		// The cluster inherits the test JVM's environment variables, not its system properties
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		environment.getPropertySources()
			.addFirst(new MapPropertySource("clusterTestProperties", new LinkedHashMap<>(properties)));
		ConfigDataEnvironmentPostProcessor.applyTo(environment);
		// Without configuration, Spring Boot exposes health alone
		Set<String> include = new LinkedHashSet<>(
				Binder.get(environment).bind(PROPERTY, Bindable.setOf(String.class)).orElse(Set.of("health")));
		if (include.contains("*")) {
			return "*";
		}
		include.addAll(NEEDED);
		return String.join(",", include);
	}

}
