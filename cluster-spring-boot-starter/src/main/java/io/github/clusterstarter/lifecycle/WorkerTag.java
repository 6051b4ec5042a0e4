package io.github.clusterstarter.lifecycle;

import org.springframework.boot.logging.LoggingSystem;

/**
 * The tag that marks every log line of a worker, {@code [worker-N]}. A standby's tag
 * changes when it takes over an id: with Logback, Spring Boot's default, the level
 * pattern reads it from a system property on every line ({@code %property}); other
 * logging systems keep the tag the process started with.
 */
final class WorkerTag {

	static final String PROPERTY = "cluster.worker.tag";

	private static final String LOGBACK = "org.springframework.boot.logging.logback.LogbackLoggingSystem";

	private WorkerTag() {
	}

	/**
	 * Return the tag to put into the level pattern of a worker.
	 * @param workerId the worker id, 0 for a standby
	 * @param classLoader the application's class loader
	 * @return the tag, fixed or read on every line
	 */
	static String pattern(int workerId, ClassLoader classLoader) {
		set(workerId);
		if (LOGBACK.equals(LoggingSystem.get(classLoader).getClass().getName())) {
			return "[%property{" + PROPERTY + "}]";
		}
		return "[" + System.getProperty(PROPERTY) + "]";
	}

	/**
	 * Tag the log lines written from now on with a worker id.
	 * @param workerId the worker id, 0 for a standby
	 */
	static void set(int workerId) {
		System.setProperty(PROPERTY, (workerId != 0) ? "worker-" + workerId : "standby");
	}

}
