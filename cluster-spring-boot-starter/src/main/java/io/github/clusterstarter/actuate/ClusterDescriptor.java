package io.github.clusterstarter.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.github.clusterstarter.control.Message;
import io.github.clusterstarter.worker.WorkerAgent;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code cluster} endpoint reports: the master and every worker, as the master
 * sees them, and the worker that answered.
 *
 * @param clustered whether this application runs as a cluster
 * @param answeredBy the id of the worker that answered, or {@code null} if not clustered
 * @param master the master, or {@code null} if not clustered
 * @param workers the workers
 * @param rollout the current or last rolling restart, or {@code null} if there was none
 */
public record ClusterDescriptor(boolean clustered, @Nullable Integer answeredBy, @Nullable MasterDescriptor master,
		List<WorkerDescriptor> workers, @Nullable RolloutDescriptor rollout) {

	/**
	 * The report of an application that does not run as a cluster.
	 */
	public static final ClusterDescriptor STANDALONE = new ClusterDescriptor(false, null, null, List.of(), null);

	/**
	 * Return the worker with the given id.
	 * @param id the worker id
	 * @return the worker, or empty if there is none with this id
	 */
	public Optional<WorkerDescriptor> worker(int id) {
		return this.workers.stream().filter((worker) -> worker.id() == id).findFirst();
	}

	/**
	 * Ask the master for the state of the cluster, through this worker's agent.
	 * @param agent the worker agent
	 * @param timeout how long to wait for the master
	 * @return the cluster
	 * @throws io.github.clusterstarter.worker.MasterUnavailableException if the master
	 * does not answer in time
	 */
	public static ClusterDescriptor request(WorkerAgent agent, Duration timeout) {
		return from(agent.requestStatus(timeout), agent.getWorkerId());
	}

	static ClusterDescriptor from(Message status, int answeredBy) {
		Map<String, Object> master = status.getMap("master");
		List<WorkerDescriptor> workers = new ArrayList<>();
		for (Object worker : status.getList("workers")) {
			workers.add(WorkerDescriptor.from(asMap(worker)));
		}
		Object rollout = status.get("rollout");
		return new ClusterDescriptor(true, answeredBy, MasterDescriptor.from(master), List.copyOf(workers),
				(rollout != null) ? RolloutDescriptor.from(asMap(rollout)) : null);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> asMap(Object value) {
		return (Map<String, Object>) value;
	}

	private static @Nullable String instant(@Nullable Object epochMillis) {
		return (epochMillis != null) ? Instant.ofEpochMilli(((Number) epochMillis).longValue()).toString() : null;
	}

	private static @Nullable String duration(@Nullable Object millis) {
		return (millis != null) ? Duration.ofMillis(((Number) millis).longValue()).toString() : null;
	}

	private static @Nullable Long number(@Nullable Object value) {
		return (value != null) ? ((Number) value).longValue() : null;
	}

	/**
	 * The master process.
	 *
	 * @param pid its pid
	 * @param startedAt when it started (ISO-8601)
	 * @param uptime how long it has run (ISO-8601 duration)
	 * @param address the address the cluster listens on
	 * @param port the port the cluster listens on
	 * @param desiredWorkers the number of workers the master keeps running
	 * @param state {@code RUNNING} or {@code STOPPING}
	 * @param rssBytes its resident memory
	 * @param primaryWorker the id of the worker that runs one-worker-only jobs, or
	 * {@code null} while none is ready
	 * @param replacements how many worker processes were started again, by reason
	 */
	public record MasterDescriptor(long pid, @Nullable String startedAt, @Nullable String uptime,
			@Nullable String address, @Nullable Long port, long desiredWorkers, String state,
			@Nullable Long rssBytes, @Nullable Integer primaryWorker, Map<String, Long> replacements) {

		static MasterDescriptor from(Map<String, Object> master) {
			return new MasterDescriptor(number(master.get("pid")), instant(master.get("startedAt")),
					duration(master.get("uptime")), (String) master.get("address"), number(master.get("port")),
					number(master.get("desiredWorkers")), (String) master.get("state"),
					number(master.get("rssBytes")),
					(master.get("primaryWorker") != null) ? number(master.get("primaryWorker")).intValue() : null,
					replacements(master.get("replacements")));
		}

		@SuppressWarnings("unchecked")
		private static Map<String, Long> replacements(@Nullable Object replacements) {
			Map<String, Long> counts = new TreeMap<>();
			if (replacements != null) {
				((Map<String, Object>) replacements).forEach((reason, count) -> counts.put(reason, number(count)));
			}
			return counts;
		}

	}

	/**
	 * One worker id.
	 *
	 * @param id the stable id of the worker
	 * @param pid the pid of its current process, or {@code null} while it has none
	 * @param state its state: PENDING, STARTING, READY, STOPPING, RESTARTING or STOPPED
	 * @param startedAt when its current process started (ISO-8601)
	 * @param uptime how long its current process has run (ISO-8601 duration)
	 * @param build what its current process runs: {@code version}, and {@code jar},
	 * {@code jarModifiedAt} (epoch milliseconds) and {@code jarSize} when it runs from a
	 * jar
	 * @param rssBytes resident memory of its current process, sampled every second
	 * @param cpuPercent CPU use of its current process over the last second (100 = one
	 * core)
	 * @param heapUsedBytes heap in use, from its last heartbeat
	 * @param heapMaxBytes maximum heap, from its last heartbeat
	 * @param requestsServed requests its current process served
	 * @param requestsInFlight requests its current process is serving
	 * @param lastHeartbeat when its current process last sent a heartbeat (ISO-8601)
	 * @param restarts how many times a process was started again for this id
	 * @param lastReplacement why a process was last started again for this id: crash,
	 * timeout, boot-failure, ready-timeout, rollout, recycle or scale
	 * @param lastExit how its previous process ended, or {@code null}
	 * @param replacement the process booting to take over, during a rolling restart
	 * @param stopping the pids of replaced processes that are still draining
	 */
	public record WorkerDescriptor(int id, @Nullable Long pid, String state, @Nullable String startedAt,
			@Nullable String uptime, @Nullable Map<String, Object> build, @Nullable Long rssBytes,
			@Nullable Double cpuPercent, @Nullable Long heapUsedBytes, @Nullable Long heapMaxBytes,
			@Nullable Long requestsServed, @Nullable Long requestsInFlight, @Nullable String lastHeartbeat,
			long restarts,
			@Nullable String lastReplacement, @Nullable ExitDescriptor lastExit,
			@Nullable ReplacementDescriptor replacement, List<Long> stopping) {

		@SuppressWarnings("unchecked")
		static WorkerDescriptor from(Map<String, Object> worker) {
			Object lastExit = worker.get("lastExit");
			Object replacement = worker.get("replacement");
			List<Long> stopping = ((List<Object>) worker.getOrDefault("stopping", List.of())).stream()
				.map(ClusterDescriptor::number)
				.toList();
			return new WorkerDescriptor(number(worker.get("id")).intValue(), number(worker.get("pid")),
					(String) worker.get("state"), instant(worker.get("startedAt")), duration(worker.get("uptime")),
					(Map<String, Object>) worker.get("build"), number(worker.get("rssBytes")),
					(worker.get("cpuPercent") != null) ? ((Number) worker.get("cpuPercent")).doubleValue() : null,
					number(worker.get("heapUsedBytes")), number(worker.get("heapMaxBytes")),
					number(worker.get("requestsServed")), number(worker.get("requestsInFlight")),
					instant(worker.get("lastHeartbeat")), number(worker.get("restarts")),
					(String) worker.get("lastReplacement"),
					(lastExit != null) ? ExitDescriptor.from(asMap(lastExit)) : null,
					(replacement != null) ? ReplacementDescriptor.from(asMap(replacement)) : null, stopping);
		}

	}

	/**
	 * A process booting to take over a worker id.
	 *
	 * @param pid its pid
	 * @param state STARTING, or READY just before it takes over
	 * @param startedAt when it started (ISO-8601)
	 */
	public record ReplacementDescriptor(long pid, String state, @Nullable String startedAt) {

		static ReplacementDescriptor from(Map<String, Object> replacement) {
			return new ReplacementDescriptor(number(replacement.get("pid")), (String) replacement.get("state"),
					instant(replacement.get("startedAt")));
		}

	}

	/**
	 * A rolling restart.
	 *
	 * @param state IN_PROGRESS, SUCCEEDED or FAILED
	 * @param trigger what started it
	 * @param startedAt when it started (ISO-8601)
	 * @param finishedAt when it ended, or {@code null} while in progress
	 * @param total how many workers it covers
	 * @param completed how many of them were replaced
	 * @param replacing the ids of the workers being replaced now
	 * @param reason why it failed, or {@code null}
	 */
	public record RolloutDescriptor(String state, String trigger, @Nullable String startedAt,
			@Nullable String finishedAt, long total, long completed, List<Long> replacing, @Nullable String reason) {

		@SuppressWarnings("unchecked")
		static RolloutDescriptor from(Map<String, Object> rollout) {
			return new RolloutDescriptor((String) rollout.get("state"), (String) rollout.get("trigger"),
					instant(rollout.get("startedAt")), instant(rollout.get("finishedAt")),
					number(rollout.get("total")), number(rollout.get("completed")),
					((List<Object>) rollout.get("replacing")).stream().map(ClusterDescriptor::number).toList(),
					(String) rollout.get("reason"));
		}

	}

	/**
	 * How a worker process ended.
	 *
	 * @param pid the pid of the process
	 * @param status its exit status (143 after SIGTERM, 137 after SIGKILL)
	 * @param at when the master saw it exit (ISO-8601)
	 */
	public record ExitDescriptor(@Nullable Long pid, int status, @Nullable String at) {

		static ExitDescriptor from(Map<String, Object> exit) {
			return new ExitDescriptor(number(exit.get("pid")), number(exit.get("status")).intValue(),
					instant(exit.get("at")));
		}

	}

}
