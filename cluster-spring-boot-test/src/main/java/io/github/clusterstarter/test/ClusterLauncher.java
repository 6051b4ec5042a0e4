package io.github.clusterstarter.test;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.ReflectionUtils;

/**
 * Starts an application as a real cluster: a master process and its workers, on a free
 * port of the loopback address, with the {@code cluster} endpoint exposed and its write
 * operations (restarts, scaling) allowed, and replacement workers booting at the master's
 * CPU priority ({@code cluster.worker.boot-niceness=0}), unless the properties say
 * otherwise. This is what
 * {@link ClusterTest @ClusterTest} does once per test class; a test that needs a cluster
 * of its own, or one started with other settings, uses it directly and closes the
 * {@link RunningCluster} it gets:
 *
 * <pre class="code">
 * try (RunningCluster cluster = ClusterLauncher.forApplication(MyApplication.class)
 * 		.withWorkers(3)
 * 		.withProperties("cluster.worker.max-requests=1000")
 * 		.start()) {
 * 	// ...
 * }
 * </pre>
 *
 * A launcher is immutable: each {@code with} method returns a new one, so one launcher
 * can serve as the template of several clusters. The JVMs get
 * {@code -XX:TieredStopAtLevel=1} and {@code -XX:+UseSerialGC}, with which short-lived
 * JVMs boot faster, unless their JVM arguments choose a compilation level or a collector
 * themselves.
 */
public final class ClusterLauncher {

	/**
	 * The JVM option that marks every process of one cluster: the master copies it to its
	 * workers, so they can be found and killed even when the master is gone.
	 */
	static final String MARKER_OPTION = "-Dcluster.test.marker=";

	/**
	 * The system property with a pattern of the jar file names that applications on the
	 * test class path are launched without, unless a launcher says otherwise
	 * ({@link #withoutJars(Pattern)}).
	 */
	public static final String WITHOUT_JARS_PROPERTY = "cluster.test.without-jars";

	private static final String CLUSTER_ENDPOINT_ACCESS = "management.endpoint.cluster.access";

	private static final String COMPILATION_LEVEL = "-XX:TieredStopAtLevel=";

	private static final String SERIAL_COLLECTOR = "-XX:+UseSerialGC";

	private final List<String> application;

	private final boolean fromTestClassPath;

	private final Map<String, String> properties;

	private final List<String> jvmArgs;

	private final Map<String, String> environment;

	private final List<String> commandPrefix;

	private ClusterLauncher(List<String> application, boolean fromTestClassPath, Map<String, String> properties,
			List<String> jvmArgs, Map<String, String> environment, List<String> commandPrefix) {
		this.application = application;
		this.fromTestClassPath = fromTestClassPath;
		this.properties = properties;
		this.jvmArgs = jvmArgs;
		this.environment = environment;
		this.commandPrefix = commandPrefix;
	}

	/**
	 * Return a launcher of an application on the test class path. One class with a
	 * {@code main} method is started with it, as {@code java -cp ... MainClass} would;
	 * other classes, like the classes of a {@code @SpringBootTest}, make up a
	 * {@code SpringApplication} of their own. Its web endpoints are the ones its
	 * configuration exposes, and also {@code cluster} and {@code health}.
	 * @param classes the application's main class, or its component classes
	 * @return the launcher
	 */
	public static ClusterLauncher forApplication(Class<?>... classes) {
		Assert.notEmpty(classes, "At least one class is required");
		String withoutJars = System.getProperty(WITHOUT_JARS_PROPERTY);
		List<String> application = new ArrayList<>(
				List.of("-cp", testClassPath((withoutJars != null) ? Pattern.compile(withoutJars) : null)));
		if (classes.length == 1 && hasMainMethod(classes[0])) {
			application.add(classes[0].getName());
		}
		else {
			String sources = Arrays.stream(classes).map(Class::getName).collect(Collectors.joining(","));
			application.add(0, "-D" + SpringApplicationMain.SOURCES_PROPERTY + "=" + sources);
			application.add(SpringApplicationMain.class.getName());
		}
		return new ClusterLauncher(application, true, defaultProperties(), List.of(), Map.of(), List.of());
	}

	/**
	 * Return a launcher of a packaged application, started with {@code java -jar}. It
	 * runs with the configuration it was packaged with, which must expose the
	 * {@code cluster} endpoint.
	 * @param jar the jar
	 * @return the launcher
	 */
	public static ClusterLauncher forJar(Path jar) {
		return new ClusterLauncher(List.of("-jar", jar.toAbsolutePath().toString()), false, defaultProperties(),
				List.of(), Map.of(), List.of());
	}

	private static Map<String, String> defaultProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("server.address", "127.0.0.1");
		// A test waits for its replacements, on CPUs its own load keeps busy: no lower priority
		properties.put("cluster.worker.boot-niceness", "0");
		return properties;
	}

	private static boolean hasMainMethod(Class<?> candidate) {
		Method main = ReflectionUtils.findMethod(candidate, "main", String[].class);
		return main != null && Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers());
	}

	/**
	 * The class path of the running tests, less the jars whose file names match the given
	 * pattern. Surefire and Failsafe name it in a property of their own, since
	 * {@code java.class.path} may hold their booter jar alone.
	 */
	private static String testClassPath(@Nullable Pattern withoutJars) {
		String surefire = System.getProperty("surefire.test.class.path");
		String classPath = (surefire != null && !surefire.isEmpty()) ? surefire : System.getProperty("java.class.path");
		if (withoutJars == null) {
			return classPath;
		}
		return Arrays.stream(classPath.split(File.pathSeparator))
			.filter((entry) -> !withoutJars.matcher(new File(entry).getName()).find())
			.collect(Collectors.joining(File.pathSeparator));
	}

	/**
	 * Return a launcher that starts the given number of workers
	 * ({@code cluster.workers}).
	 * @param workers the number of workers
	 * @return a new launcher
	 */
	public ClusterLauncher withWorkers(int workers) {
		return withProperties("cluster.workers=" + workers);
	}

	/**
	 * Return a launcher that passes the given properties to the application as
	 * command-line arguments, above its own configuration. Each is written
	 * {@code name=value} or {@code name:value}, as in {@code @SpringBootTest}; a later one
	 * replaces an earlier one of the same name.
	 * @param properties the properties
	 * @return a new launcher
	 */
	public ClusterLauncher withProperties(String... properties) {
		Map<String, String> merged = new LinkedHashMap<>(this.properties);
		for (String property : properties) {
			merged.putAll(parse(property));
		}
		return new ClusterLauncher(this.application, this.fromTestClassPath, merged, this.jvmArgs, this.environment,
				this.commandPrefix);
	}

	private static Map<String, String> parse(String property) {
		Properties parsed = new Properties();
		try {
			parsed.load(new StringReader(property));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Assert.isTrue(parsed.size() == 1, () -> "'" + property + "' is not one property written name=value");
		String name = parsed.stringPropertyNames().iterator().next();
		return Map.of(name, parsed.getProperty(name));
	}

	/**
	 * Return a launcher whose class path is the test class path less the jars whose file
	 * names match the given pattern, instead of less those of
	 * {@value #WITHOUT_JARS_PROPERTY}: to run an application on the test class path as an
	 * application that lacks them would run, for instance on another web server than the
	 * one Spring Boot picks when several are there.
	 * @param fileNames the pattern of the jar file names to leave out
	 * @return a new launcher
	 */
	public ClusterLauncher withoutJars(Pattern fileNames) {
		Assert.state(this.fromTestClassPath, "Only an application on the test class path has jars to leave out");
		List<String> application = new ArrayList<>(this.application);
		application.set(application.indexOf("-cp") + 1, testClassPath(fileNames));
		return new ClusterLauncher(application, this.fromTestClassPath, this.properties, this.jvmArgs,
				this.environment, this.commandPrefix);
	}

	/**
	 * Return a launcher that gives the master, and so every worker, the given JVM
	 * arguments.
	 * @param jvmArgs the JVM arguments
	 * @return a new launcher
	 */
	public ClusterLauncher withJvmArgs(String... jvmArgs) {
		List<String> merged = new ArrayList<>(this.jvmArgs);
		merged.addAll(Arrays.asList(jvmArgs));
		return new ClusterLauncher(this.application, this.fromTestClassPath, this.properties, merged,
				this.environment, this.commandPrefix);
	}

	/**
	 * Return a launcher that adds a variable to the environment the master and its workers
	 * inherit from the test JVM.
	 * @param name the variable
	 * @param value its value
	 * @return a new launcher
	 */
	public ClusterLauncher withEnvironment(String name, String value) {
		Map<String, String> merged = new LinkedHashMap<>(this.environment);
		merged.put(name, value);
		return new ClusterLauncher(this.application, this.fromTestClassPath, this.properties, this.jvmArgs,
				merged, this.commandPrefix);
	}

	/**
	 * Return a launcher that starts the master's {@code java} command through another
	 * program that runs the command it gets as its last arguments, such as
	 * {@code systemd-socket-activate -l 127.0.0.1:8080} or
	 * {@code unshare --pid --fork --mount-proc}. {@link RunningCluster#masterPid()} is
	 * then the pid of that program, which is the master's only if it replaces itself with
	 * the command ({@code exec}).
	 * @param command the program and its arguments
	 * @return a new launcher
	 */
	public ClusterLauncher withCommandPrefix(String... command) {
		return new ClusterLauncher(this.application, this.fromTestClassPath, this.properties, this.jvmArgs,
				this.environment, List.of(command));
	}

	/**
	 * Start the cluster and wait until every worker is ready.
	 * @return the running cluster
	 * @throws AssertionError with the cluster's output if it did not get ready
	 */
	public RunningCluster start() {
		RunningCluster cluster = startWithoutWaiting();
		try {
			// Logged once the first workers are ready: no status request waits for them
			cluster.awaitLine("Cluster ready", RunningCluster.TIMEOUT);
			cluster.awaitReady();
			return cluster;
		}
		catch (RuntimeException | Error ex) {
			cluster.close();
			throw ex;
		}
	}

	/**
	 * Start the master without waiting for anything, for a test of a cluster that fails
	 * to start or of what happens while it starts.
	 * @return the running cluster
	 */
	public RunningCluster startWithoutWaiting() {
		String marker = UUID.randomUUID().toString();
		List<String> command = new ArrayList<>(this.commandPrefix);
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(quickBootOptions());
		command.add(MARKER_OPTION + marker);
		command.addAll(this.jvmArgs);
		command.addAll(this.application);
		arguments().forEach((name, value) -> command.add("--" + name + "=" + value));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(this.environment);
		try {
			RunningCluster cluster = new RunningCluster(marker, builder.start());
			StartedClusters.add(cluster);
			return cluster;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + command, ex);
		}
	}

	private List<String> quickBootOptions() {
		List<String> options = new ArrayList<>();
		if (this.jvmArgs.stream().noneMatch((argument) -> argument.startsWith(COMPILATION_LEVEL))) {
			options.add(COMPILATION_LEVEL + "1");
		}
		if (this.jvmArgs.stream().noneMatch((argument) -> argument.startsWith("-XX:+Use") && argument.endsWith("GC"))) {
			options.add(SERIAL_COLLECTOR);
		}
		return options;
	}

	private Map<String, String> arguments() {
		if (!this.fromTestClassPath) {
			return this.properties;
		}
		Map<String, String> arguments = new LinkedHashMap<>(this.properties);
		arguments.put(EndpointExposure.PROPERTY, EndpointExposure.include(this.properties));
		// RunningCluster restarts and scales through the endpoint, whose writes are off by default
		arguments.putIfAbsent(CLUSTER_ENDPOINT_ACCESS, "unrestricted");
		return arguments;
	}

}
