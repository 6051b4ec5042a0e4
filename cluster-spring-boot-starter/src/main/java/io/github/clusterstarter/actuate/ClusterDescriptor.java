package io.github.clusterstarter.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.clusterstarter.control.Message;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code cluster} endpoint reports: the master and every worker, as the master
 * sees them, and the worker that answered.
 *
 * @param clustered whether this application runs as a cluster
 * @param answeredBy the id of the worker that answered, or {@code null} if not clustered
 * @param master the master, or {@code null} if not clustered
 * @param workers the workers
 */
public record ClusterDescriptor(boolean clustered, @Nullable Integer answeredBy, @Nullable MasterDescriptor master,
		List<WorkerDescriptor> workers) {

	/**
	 * The report of an application that does not run as a cluster.
	 */
	public static final ClusterDescriptor STANDALONE = new ClusterDescriptor(false, null, null, List.of());

	/**
	 * Return the worker with the given id.
	 * @param id the worker id
	 * @return the worker, or empty if there is none with this id
	 */
	public Optional<WorkerDescriptor> worker(int id) {
		return this.workers.stream().filter((worker) -> worker.id() == id).findFirst();
	}

	static ClusterDescriptor from(Message status, int answeredBy) {
		Map<String, Object> master = status.getMap("master");
		List<WorkerDescriptor> workers = new ArrayList<>();
		for (Object worker : status.getList("workers")) {
			workers.add(WorkerDescriptor.from(asMap(worker)));
		}
		return new ClusterDescriptor(true, answeredBy, MasterDescriptor.from(master), List.copyOf(workers));
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
	 */
	public record MasterDescriptor(long pid, @Nullable String startedAt, @Nullable String uptime,
			@Nullable String address, @Nullable Long port, long desiredWorkers, String state) {

		static MasterDescriptor from(Map<String, Object> master) {
			return new MasterDescriptor(number(master.get("pid")), instant(master.get("startedAt")),
					duration(master.get("uptime")), (String) master.get("address"), number(master.get("port")),
					number(master.get("desiredWorkers")), (String) master.get("state"));
		}

	}

	/**
	 * One worker slot.
	 *
	 * @param id the stable id of the worker
	 * @param pid the pid of its current process, or {@code null} while it has none
	 * @param state its state: PENDING, STARTING, READY, STOPPING, RESTARTING or STOPPED
	 * @param startedAt when its current process started (ISO-8601)
	 * @param uptime how long its current process has run (ISO-8601 duration)
	 * @param restarts how many times a process was started again for this id
	 * @param lastExit how its previous process ended, or {@code null}
	 */
	public record WorkerDescriptor(int id, @Nullable Long pid, String state, @Nullable String startedAt,
			@Nullable String uptime, long restarts, @Nullable ExitDescriptor lastExit) {

		static WorkerDescriptor from(Map<String, Object> worker) {
			Object lastExit = worker.get("lastExit");
			return new WorkerDescriptor(number(worker.get("id")).intValue(), number(worker.get("pid")),
					(String) worker.get("state"), instant(worker.get("startedAt")), duration(worker.get("uptime")),
					number(worker.get("restarts")),
					(lastExit != null) ? ExitDescriptor.from(asMap(lastExit)) : null);
		}

	}

	/**
	 * How a worker process ended.
	 *
	 * @param status its exit status (143 after SIGTERM, 137 after SIGKILL)
	 * @param at when the master saw it exit (ISO-8601)
	 */
	public record ExitDescriptor(int status, @Nullable String at) {

		static ExitDescriptor from(Map<String, Object> exit) {
			return new ExitDescriptor(number(exit.get("status")).intValue(), instant(exit.get("at")));
		}

	}

}
