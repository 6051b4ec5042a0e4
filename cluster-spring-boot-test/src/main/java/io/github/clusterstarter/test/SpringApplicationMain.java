package io.github.clusterstarter.test;

import org.springframework.boot.SpringApplication;
import org.springframework.util.ClassUtils;

/**
 * The main class of a cluster whose application has no main method of its own, such as
 * the component classes of a {@link ClusterTest @ClusterTest}: it runs a
 * {@link SpringApplication} of the classes named in a system property, in the master and,
 * since the master copies its JVM options, in every worker.
 */
final class SpringApplicationMain {

	static final String SOURCES_PROPERTY = "cluster.test.sources";

	private SpringApplicationMain() {
	}

	public static void main(String[] args) throws ClassNotFoundException {
		String[] names = System.getProperty(SOURCES_PROPERTY).split(",");
		Class<?>[] sources = new Class<?>[names.length];
		for (int i = 0; i < names.length; i++) {
			sources[i] = ClassUtils.forName(names[i], SpringApplicationMain.class.getClassLoader());
		}
		SpringApplication.run(sources, args);
	}

}
