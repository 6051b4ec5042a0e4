package io.github.clusterstarter.control;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What a worker process needs to know to find its master: its id, the control socket and
 * the cluster secret. The master hands it over in environment variables, which unlike
 * system properties do not show up in {@code ps}.
 *
 * @param workerId the stable id of the worker, from 1, or {@link #STANDBY_ID} for a
 * standby process
 * @param controlSocket the path of the master's control socket
 * @param secret the secret that authenticates the worker to the master
 * @param masterPid the pid of the master process
 * @param sessionsDirectory the directory of the sessions the workers share, or
 * {@code null} if they do not share sessions
 */
public record WorkerIdentity(int workerId, Path controlSocket, ClusterSecret secret, long masterPid,
		@Nullable Path sessionsDirectory) {

	/**
	 * The worker id of a standby process, until it takes over the id of a worker.
	 */
	public static final int STANDBY_ID = 0;

	static final String WORKER_ID = "BOOT_CLUSTER_WORKER_ID";

	static final String CONTROL_SOCKET = "BOOT_CLUSTER_CONTROL_SOCKET";

	static final String SECRET = "BOOT_CLUSTER_SECRET";

	static final String MASTER_PID = "BOOT_CLUSTER_MASTER_PID";

	static final String SESSIONS_DIRECTORY = "BOOT_CLUSTER_SESSIONS_DIRECTORY";

	/**
	 * Variable that names the jar the application was deployed as, for workers that run
	 * from an extracted copy of it.
	 */
	public static final String APPLICATION_JAR_VARIABLE = "BOOT_CLUSTER_APPLICATION_JAR";

	/**
	 * Variable that gives a worker started at a lowered CPU priority the nice value to
	 * take back before it accepts connections.
	 */
	public static final String SERVING_NICENESS_VARIABLE = "BOOT_CLUSTER_SERVING_NICENESS";

	/**
	 * Variable set in the class data sharing training run, which must run as a plain
	 * single process.
	 */
	public static final String CDS_TRAINING_VARIABLE = "BOOT_CLUSTER_CDS_TRAINING";

	/**
	 * Return the environment variables that carry this identity.
	 * @return the variables to add to a worker's environment
	 */
	public Map<String, String> toEnvironment() {
		Map<String, String> variables = new LinkedHashMap<>();
		variables.put(WORKER_ID, Integer.toString(this.workerId));
		variables.put(CONTROL_SOCKET, this.controlSocket.toString());
		variables.put(SECRET, this.secret.value());
		variables.put(MASTER_PID, Long.toString(this.masterPid));
		if (this.sessionsDirectory != null) {
			variables.put(SESSIONS_DIRECTORY, this.sessionsDirectory.toString());
		}
		return variables;
	}

	/**
	 * Read the identity from the given environment variables.
	 * @param environment the process environment
	 * @return the identity, or empty if this process is not a worker
	 * @throws IllegalStateException if the variables are present but invalid
	 */
	public static Optional<WorkerIdentity> fromEnvironment(Map<String, String> environment) {
		String workerId = environment.get(WORKER_ID);
		if (workerId == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(new WorkerIdentity(Integer.parseInt(workerId), Path.of(required(environment, CONTROL_SOCKET)),
					ClusterSecret.of(required(environment, SECRET)),
					Long.parseLong(required(environment, MASTER_PID)), sessionsDirectory(environment)));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Invalid cluster worker environment: " + ex.getMessage(), ex);
		}
	}

	private static @Nullable Path sessionsDirectory(Map<String, String> environment) {
		String directory = environment.get(SESSIONS_DIRECTORY);
		return (directory != null && !directory.isEmpty()) ? Path.of(directory) : null;
	}

	private static String required(Map<String, String> environment, String name) {
		String value = environment.get(name);
		if (value == null || value.isEmpty()) {
			throw new IllegalArgumentException("environment variable " + name + " is missing");
		}
		return value;
	}

	@Override
	public String toString() {
		return "WorkerIdentity[workerId=%d, controlSocket=%s, masterPid=%d, sessionsDirectory=%s]".formatted(
				this.workerId, this.controlSocket, this.masterPid, this.sessionsDirectory);
	}

}
