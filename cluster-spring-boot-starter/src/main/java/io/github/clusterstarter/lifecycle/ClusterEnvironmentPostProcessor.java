package io.github.clusterstarter.lifecycle;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Tells a clustered process who it is before logging starts: a worker gets
 * {@code cluster.worker.id} and prints no banner, and every log line of the master and
 * the workers is tagged with {@code [master]} or {@code [worker-N]} through Spring Boot's
 * level pattern, which its default console and file patterns include.
 */
class ClusterEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "cluster";

	private static final String LEVEL_PATTERN = "logging.pattern.level";

	@Override
	public int getOrder() {
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		ClusterRole role = ClusterRole.of(environment, application.getClassLoader());
		Map<String, Object> properties = new LinkedHashMap<>();
		switch (role) {
			case WORKER -> {
				int id = ClusterRole.workerIdentity().orElseThrow().workerId();
				properties.put("cluster.worker.id", id);
				properties.put(LEVEL_PATTERN, tagged(environment, "[worker-" + id + "]"));
				// The master prints the cluster's banner
				properties.put("spring.main.banner-mode", "off");
			}
			case MASTER -> properties.put(LEVEL_PATTERN, tagged(environment, "[master]"));
			case STANDALONE -> {
				return;
			}
		}
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
	}

	private String tagged(ConfigurableEnvironment environment, String tag) {
		return environment.getProperty(LEVEL_PATTERN, "%5p") + " " + tag;
	}

}
