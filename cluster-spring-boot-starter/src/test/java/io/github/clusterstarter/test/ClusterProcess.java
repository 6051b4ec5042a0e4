package io.github.clusterstarter.test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.clusterstarter.control.WorkerIdentity;

import static org.awaitility.Awaitility.await;

/**
 * A cluster master started as a real process by a test, with its output (and its
 * workers', which share it) captured. Every process it started, including workers
 * orphaned by a killed master, is killed by {@link #close()}.
 */
public final class ClusterProcess implements AutoCloseable {

	private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+);");

	private static final List<ClusterProcess> running = new CopyOnWriteArrayList<>();

	private final String marker;

	private final Process process;

	private final List<String> output = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private ClusterProcess(String marker, Process process) {
		this.marker = marker;
		this.process = process;
		this.reader = new Thread(this::readOutput, "cluster-output-" + process.pid());
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Start a JVM with the given class path, main class and arguments.
	 * @param classPath the class path
	 * @param mainClass the main class
	 * @param arguments the program arguments
	 * @return the started process
	 */
	public static ClusterProcess startClass(String classPath, String mainClass, String... arguments) {
		return start(List.of("-cp", classPath, mainClass), Map.of(), arguments);
	}

	/**
	 * Start a JVM with the given class path, main class, environment and arguments.
	 * @param classPath the class path
	 * @param mainClass the main class
	 * @param environment variables to add to the environment
	 * @param arguments the program arguments
	 * @return the started process
	 */
	public static ClusterProcess startClass(String classPath, String mainClass, Map<String, String> environment,
			String... arguments) {
		return start(List.of("-cp", classPath, mainClass), environment, arguments);
	}

	/**
	 * Start the test application from the test class path with Spring MVC on Tomcat, on
	 * 127.0.0.1 with the {@code health} and {@code cluster} endpoints exposed.
	 * @param arguments further program arguments
	 * @return the started process
	 */
	public static ClusterProcess startTestApplication(String... arguments) {
		return startTestApplication(WebStack.TOMCAT_MVC, arguments);
	}

	/**
	 * Start the test application from the test class path on the given server and stack,
	 * on 127.0.0.1 with the {@code health} and {@code cluster} endpoints exposed.
	 * @param stack the web server and stack
	 * @param arguments further program arguments
	 * @return the started process
	 */
	public static ClusterProcess startTestApplication(WebStack stack, String... arguments) {
		return startTestApplicationOn(stack.classPath(), arguments);
	}

	/**
	 * Start the test application with the given class path, on 127.0.0.1 with the
	 * {@code health} and {@code cluster} endpoints exposed.
	 * @param classPath the class path
	 * @param arguments further program arguments
	 * @return the started process
	 */
	public static ClusterProcess startTestApplicationOn(String classPath, String... arguments) {
		List<String> all = new ArrayList<>(List.of("--server.address=127.0.0.1",
				"--management.endpoints.web.exposure.include=health,cluster"));
		all.addAll(Arrays.asList(arguments));
		return startClass(classPath, "io.github.clusterstarter.testapp.TestApplication", all.toArray(String[]::new));
	}

	/**
	 * Start a JVM with {@code -jar}.
	 * @param jar the jar file
	 * @param arguments the program arguments
	 * @return the started process
	 */
	public static ClusterProcess startJar(File jar, String... arguments) {
		return start(List.of("-jar", jar.getAbsolutePath()), Map.of(), arguments);
	}

	private static ClusterProcess start(List<String> target, Map<String, String> environment, String... arguments) {
		String marker = UUID.randomUUID().toString();
		List<String> command = new ArrayList<>();
		command.add(System.getProperty("java.home") + "/bin/java");
		// Quicker boots for short-lived test clusters
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-XX:+UseSerialGC");
		command.add("-Dcluster.test.marker=" + marker);
		command.addAll(target);
		command.addAll(Arrays.asList(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(environment);
		try {
			ClusterProcess cluster = new ClusterProcess(marker, builder.start());
			running.add(cluster);
			return cluster;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot start " + command, ex);
		}
	}

	/**
	 * Return the class path of the running tests.
	 * @return the class path
	 */
	public static String testClassPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isEmpty()) ? surefire : System.getProperty("java.class.path");
	}

	/**
	 * Return the clusters started by the current test, and forget them.
	 * @return the clusters
	 */
	static List<ClusterProcess> drainStarted() {
		List<ClusterProcess> started = List.copyOf(running);
		running.clear();
		return started;
	}

	private void readOutput() {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				this.output.add(line);
			}
		}
		catch (IOException ex) {
			// The process is gone
		}
	}

	/**
	 * Return the master process.
	 * @return the master
	 */
	public Process master() {
		return this.process;
	}

	/**
	 * Return the output so far.
	 * @return the lines written by the master and its workers
	 */
	public List<String> output() {
		return List.copyOf(this.output);
	}

	/**
	 * Return the output so far as one string.
	 * @return the output
	 */
	public String outputText() {
		return String.join("\n", this.output);
	}

	/**
	 * Wait for a line that contains the given text.
	 * @param text the text
	 * @param timeout how long to wait
	 * @return the line
	 */
	public String awaitLine(String text, Duration timeout) {
		return awaitLine((line) -> line.contains(text), timeout);
	}

	private String awaitLine(Predicate<String> predicate, Duration timeout) {
		return await().atMost(timeout)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> findLine(predicate), Optional::isPresent)
			.orElseThrow();
	}

	private Optional<String> findLine(Predicate<String> predicate) {
		boolean exited = !this.process.isAlive();
		Optional<String> line = this.output.stream().filter(predicate).findFirst();
		if (line.isEmpty() && exited) {
			throw new AssertionError("The master exited with status " + this.process.exitValue()
					+ " before writing the expected line");
		}
		return line;
	}

	/**
	 * Wait until the master logs the port it listens on.
	 * @return the port
	 */
	public int awaitPort() {
		String line = awaitLine((candidate) -> LISTENING.matcher(candidate).find(), Duration.ofSeconds(30));
		Matcher matcher = LISTENING.matcher(line);
		matcher.find();
		return Integer.parseInt(matcher.group(2));
	}

	/**
	 * Wait for the master to exit.
	 * @param timeout how long to wait
	 * @return the exit status
	 */
	public int awaitExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError("The master did not exit within " + timeout);
			}
			this.reader.join(5000);
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/**
	 * Return every live process of this cluster: the master and its workers, also the
	 * workers the master no longer parents.
	 * @return the live processes
	 */
	public List<ProcessHandle> processes() {
		String option = "-Dcluster.test.marker=" + this.marker;
		return ProcessHandle.allProcesses()
			.filter((handle) -> commandLine(handle.pid()).contains(option))
			.filter(ProcessHandle::isAlive)
			.toList();
	}

	/**
	 * Read a process's arguments from {@code /proc}, which unlike
	 * {@link ProcessHandle.Info#arguments()} also works for long command lines.
	 * @param pid the process
	 * @return its command line, empty if it is gone
	 */
	public static List<String> commandLine(long pid) {
		try {
			return List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	/**
	 * Return the live worker processes: not the master, and not the class data sharing
	 * runs it starts in the background.
	 * @return the workers
	 */
	public List<ProcessHandle> workers() {
		return processes().stream()
			.filter((handle) -> handle.pid() != this.process.pid() && !isClassDataSharingRun(handle.pid()))
			.toList();
	}

	private static boolean isClassDataSharingRun(long pid) {
		try {
			String environment = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
					StandardCharsets.ISO_8859_1);
			return environment.contains(WorkerIdentity.CDS_TRAINING_VARIABLE + "=");
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Send a signal to the master.
	 * @param signal the signal name, e.g. {@code TERM}
	 */
	public void signalMaster(String signal) {
		signal(this.process.pid(), signal);
	}

	/**
	 * Send a signal to a process.
	 * @param pid the pid
	 * @param signal the signal name, e.g. {@code KILL}
	 */
	public static void signal(long pid, String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
			if (kill.waitFor() != 0) {
				throw new AssertionError("kill -" + signal + " " + pid + " failed");
			}
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	@Override
	public void close() {
		for (ProcessHandle handle : processes()) {
			handle.destroyForcibly();
		}
		this.process.destroyForcibly();
		await().atMost(Duration.ofSeconds(10)).until(() -> processes().isEmpty());
	}

}
