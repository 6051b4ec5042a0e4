package io.github.clusterstarter.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the application of a test class as a real cluster: a master process and its
 * workers, started once for all the tests of the class. Where {@code @SpringBootTest}
 * runs the application inside the test's JVM as one ordinary process, this starts it the
 * way it runs in production: its main class from the test class path, in JVMs of its own,
 * on a free port of the loopback address.
 * <p>
 * Tests get the {@link RunningCluster} as a parameter of a test, lifecycle method or
 * constructor, and in every field of that type. Before each test, every worker is ready;
 * after the last one, the cluster is stopped gracefully and whatever is left of it is
 * killed, also when the test JVM exits first. A failed test prints the cluster's output.
 *
 * <pre class="code">
 * &#064;ClusterTest(workers = 2)
 * class MyApplicationClusterTests {
 *
 * 	&#064;Test
 * 	void killedWorkerIsReplaced(RunningCluster cluster) {
 * 		long other = cluster.workers().get(2);
 * 		cluster.kill(1);
 * 		cluster.awaitReady();
 * 		assertThat(cluster.workers()).containsEntry(2, other).containsKey(1);
 * 	}
 *
 * }
 * </pre>
 *
 * @see ClusterLauncher
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith({ ClusterTestExtension.class, DumpClusterOutputOnFailure.class })
public @interface ClusterTest {

	/**
	 * The number of workers ({@code cluster.workers}).
	 * @return the number of workers
	 */
	int workers() default 2;

	/**
	 * Properties in the form {@code name=value}, passed to the application as
	 * command-line arguments, above its own configuration. The web endpoints it exposes
	 * are the ones it configures, and also {@code cluster} and {@code health}.
	 * @return the properties
	 */
	String[] properties() default {};

	/**
	 * The application: its main class, or the component classes of a
	 * {@code SpringApplication} run for it. By default, the
	 * {@code @SpringBootConfiguration} found by searching the test's package and its
	 * parents, as {@code @SpringBootTest} does; its main method starts the master and
	 * every worker.
	 * @return the application's classes
	 */
	Class<?>[] classes() default {};

	/**
	 * JVM arguments of the master, which copies them to every worker. They come after
	 * {@code -XX:TieredStopAtLevel=1} and {@code -XX:+UseSerialGC}, with which short-lived
	 * JVMs boot faster, and an option that chooses a compilation level or a collector
	 * replaces them.
	 * @return the JVM arguments
	 */
	String[] jvmArgs() default {};

}
