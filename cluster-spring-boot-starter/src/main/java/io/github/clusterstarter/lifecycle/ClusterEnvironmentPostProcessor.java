package io.github.clusterstarter.lifecycle;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.clusterstarter.control.WorkerIdentity;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Tells a clustered process who it is before logging starts: a worker gets
 * {@code cluster.worker.id} and prints no banner, and every log line of the master and
 * the workers is tagged with {@code [master]} or {@code [worker-N]} ({@code [standby]}
 * until a standby takes over an id) through Spring Boot's level pattern, which its
 * default console and file patterns include.
 */
class ClusterEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "cluster";

	private static final String LEVEL_PATTERN = "logging.pattern.level";

	private static final String WORKER_ID = "cluster.worker.id";

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
				properties.put(WORKER_ID, id);
				properties.put(LEVEL_PATTERN, tagged(environment,
						(id != WorkerIdentity.STANDBY_ID) ? "[worker-" + id + "]"
								: WorkerTag.pattern(id, application.getClassLoader())));
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

	/**
	 * Give a standby that took over an id that id in the environment and in its log tag.
	 * @param environment the worker's environment
	 * @param workerId the id it took over
	 */
	static void assignWorkerId(ConfigurableEnvironment environment, int workerId) {
		MapPropertySource cluster = (MapPropertySource) environment.getPropertySources().get(PROPERTY_SOURCE_NAME);
		Map<String, Object> properties = new LinkedHashMap<>(cluster.getSource());
		properties.put(WORKER_ID, workerId);
		environment.getPropertySources().replace(PROPERTY_SOURCE_NAME,
				new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
		WorkerTag.set(workerId);
	}

	private String tagged(ConfigurableEnvironment environment, String tag) {
		return environment.getProperty(LEVEL_PATTERN, "%5p") + " " + tag;
	}

}
