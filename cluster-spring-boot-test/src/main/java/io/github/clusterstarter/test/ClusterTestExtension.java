package io.github.clusterstarter.test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.context.AnnotatedClassFinder;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Starts the cluster of a {@link ClusterTest @ClusterTest} class before its first test,
 * hands it to the tests, waits before each test until every worker is ready, and stops it
 * after the last test. A {@code @Nested} class shares the cluster of its enclosing class.
 */
class ClusterTestExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
		TestInstancePostProcessor, ParameterResolver {

	private static final Namespace NAMESPACE = Namespace.create(ClusterTestExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		RunningCluster cluster = cluster(context);
		injectInto(context.getRequiredTestClass(), null, cluster);
	}

	@Override
	public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
		injectInto(testInstance.getClass(), testInstance, cluster(context));
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		cluster(context).awaitReady();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		// Only the class that started the cluster stops it, not a nested one
		RunningCluster cluster = context.getStore(NAMESPACE).remove(RunningCluster.class, RunningCluster.class);
		if (cluster != null) {
			cluster.stop();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == RunningCluster.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return cluster(extensionContext);
	}

	/**
	 * Return the cluster of the test class, started on first use: with a test instance
	 * per class, the instance is created before {@link #beforeAll}.
	 */
	private RunningCluster cluster(ExtensionContext context) {
		ExtensionContext classContext = context;
		while (classContext.getTestMethod().isPresent()) {
			classContext = classContext.getParent().orElseThrow();
		}
		Class<?> testClass = classContext.getRequiredTestClass();
		return classContext.getStore(NAMESPACE)
			.computeIfAbsent(RunningCluster.class, (key) -> start(testClass), RunningCluster.class);
	}

	private static RunningCluster start(Class<?> testClass) {
		ClusterTest clusterTest = TestContextAnnotationUtils.findMergedAnnotation(testClass, ClusterTest.class);
		if (clusterTest == null) {
			throw new IllegalStateException(testClass.getName() + " is not annotated with @ClusterTest");
		}
		Class<?>[] classes = (clusterTest.classes().length > 0) ? clusterTest.classes()
				: new Class<?>[] { springBootConfiguration(testClass) };
		return ClusterLauncher.forApplication(classes)
			.withWorkers(clusterTest.workers())
			.withProperties(clusterTest.properties())
			.withJvmArgs(clusterTest.jvmArgs())
			.start();
	}

	private static Class<?> springBootConfiguration(Class<?> testClass) {
		Class<?> found = new AnnotatedClassFinder(SpringBootConfiguration.class).findFromClass(testClass);
		if (found == null) {
			throw new IllegalStateException("Unable to find a @SpringBootConfiguration by searching packages upwards "
					+ "from " + testClass.getName() + "; use @ClusterTest(classes = ...) to name the application");
		}
		return found;
	}

	/**
	 * Set the static fields of type {@link RunningCluster} when no instance is given, the
	 * instance fields otherwise.
	 */
	private static void injectInto(Class<?> type, @Nullable Object instance, RunningCluster cluster) {
		ReflectionUtils.doWithFields(type, (field) -> {
			ReflectionUtils.makeAccessible(field);
			ReflectionUtils.setField(field, instance, cluster);
		}, (field) -> isClusterField(field) && Modifier.isStatic(field.getModifiers()) == (instance == null));
	}

	private static boolean isClusterField(Field field) {
		return field.getType() == RunningCluster.class && !Modifier.isFinal(field.getModifiers());
	}

}
