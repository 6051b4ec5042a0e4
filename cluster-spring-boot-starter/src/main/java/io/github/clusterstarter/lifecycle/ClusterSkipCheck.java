package io.github.clusterstarter.lifecycle;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplicationAotProcessor;
import org.springframework.util.ClassUtils;

/**
 * Decides whether cluster mode is skipped although {@code cluster.workers} is set: inside
 * tests (a {@code @SpringBootTest} must run the application as one ordinary process) and
 * during AOT processing.
 */
class ClusterSkipCheck {

	private static final List<String> TEST_CLASSES = List.of("org.junit.jupiter.api.Test", "org.junit.Test");

	private static final List<String> SKIPPED_STACK_ELEMENTS = List.of("org.junit.runners.", "org.junit.platform.",
			"org.springframework.boot.test.", SpringApplicationAotProcessor.class.getName(), "cucumber.runtime.",
			"org.testng.");

	boolean shouldSkip(@Nullable ClassLoader classLoader) {
		if (Boolean.getBoolean("spring.aot.processing") || AotDetector.useGeneratedArtifacts()) {
			return true;
		}
		return hasTestClass(classLoader) && isCalledFromTest();
	}

	private boolean hasTestClass(@Nullable ClassLoader classLoader) {
		return TEST_CLASSES.stream().anyMatch((name) -> ClassUtils.isPresent(name, classLoader));
	}

	private boolean isCalledFromTest() {
		for (StackTraceElement element : Thread.currentThread().getStackTrace()) {
			for (String skipped : SKIPPED_STACK_ELEMENTS) {
				if (element.getClassName().startsWith(skipped)) {
					return true;
				}
			}
		}
		return false;
	}

}
