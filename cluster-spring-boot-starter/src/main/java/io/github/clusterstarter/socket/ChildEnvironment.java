package io.github.clusterstarter.socket;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.TreeMap;

import com.sun.jna.LastErrorException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps the cluster's environment variables ({@code BOOT_CLUSTER_*}: a worker's id, its
 * master's control socket and pid, the cluster secret) from the processes that a worker
 * starts, while the cluster's own code keeps reading them as they were when the process
 * started ({@link #atStart()}).
 * <p>
 * A child process gets one of two copies of the environment: the C library's
 * {@code environ} when it is started without {@link ProcessBuilder#environment()} being
 * touched (as {@link Runtime#exec(String)} does), or else the JDK's own copy, which
 * {@code java.lang.ProcessEnvironment} read once at startup and which
 * {@code ProcessBuilder.environment()} clones. Both are cleared: the C library's with
 * {@code unsetenv}, the JDK's by reflection, for which the master opens
 * {@code java.lang} to the application ({@value #OPEN_JAVA_LANG}). The JDK's copy is also
 * what {@link System#getenv()} returns, so there the variables are gone as well.
 */
public final class ChildEnvironment {

	/**
	 * The prefix of the cluster's variables.
	 */
	public static final String PREFIX = "BOOT_CLUSTER_";

	/**
	 * The JVM option that lets a worker clear the JDK's copy of the environment.
	 */
	public static final String OPEN_JAVA_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";

	private static final Log logger = LogFactory.getLog(ChildEnvironment.class);

	private static final Map<String, String> AT_START = clusterVariables(System.getenv());

	private ChildEnvironment() {
	}

	private static Map<String, String> clusterVariables(Map<String, String> environment) {
		Map<String, String> variables = new TreeMap<>();
		environment.forEach((name, value) -> {
			if (name.startsWith(PREFIX)) {
				variables.put(name, value);
			}
		});
		return Map.copyOf(variables);
	}

	/**
	 * Return the cluster's variables as this process started with them, also once they
	 * were removed from its environment.
	 * @return the {@code BOOT_CLUSTER_*} variables this process started with
	 */
	public static Map<String, String> atStart() {
		return AT_START;
	}

	/**
	 * Remove the cluster's variables from the JDK's copy of the environment, which
	 * {@link ProcessBuilder#environment()} clones for a child process. Cheap, so done
	 * before the application's code runs; the C library's copy follows once the native
	 * library is loaded ({@link #removeFromCLibrary()}).
	 * @return whether they were removed; if not, a warning says why
	 */
	public static boolean removeFromJdkCopy() {
		if (AT_START.isEmpty()) {
			return true;
		}
		try {
			Field field = Class.forName("java.lang.ProcessEnvironment").getDeclaredField("theEnvironment");
			field.setAccessible(true);
			// Its keys are the JDK's own Variable type, whose toString() is the name
			((Map<?, ?>) field.get(null)).keySet().removeIf((name) -> name.toString().startsWith(PREFIX));
			return true;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.warn(("Cannot remove the %s* variables (among them the cluster secret) from the environment that "
					+ "ProcessBuilder.environment() gives the processes this worker starts: %s. Processes started "
					+ "without touching ProcessBuilder.environment() do not get them. Give the workers %s "
					+ "(cluster.worker.jvm-args) if the master did not.").formatted(PREFIX, ex, OPEN_JAVA_LANG));
			return false;
		}
	}

	/**
	 * Remove the cluster's variables from the C library's environment, which a child
	 * process gets when it is started without touching
	 * {@link ProcessBuilder#environment()}.
	 */
	static void removeFromCLibrary() {
		for (String name : AT_START.keySet()) {
			try {
				LibC.get().unsetenv(name);
			}
			catch (LastErrorException ex) {
				logger.warn("Cannot remove %s from the environment of the processes this worker starts: %s"
					.formatted(name, LibC.get().strerror(ex.getErrorCode())));
			}
		}
	}

}
