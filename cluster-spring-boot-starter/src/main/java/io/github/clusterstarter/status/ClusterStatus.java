package io.github.clusterstarter.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The cluster as its master sees it: the master, every worker id and the current or last
 * rolling restart.
 *
 * @param master the master process
 * @param workers the workers, by id
 * @param standbys the standby processes, oldest first
 * @param rollout the current or last rolling restart, or {@code null} if there was none
 */
public record ClusterStatus(MasterStatus master, List<WorkerStatus> workers, List<StandbyStatus> standbys,
		@Nullable RolloutStatus rollout) {

	/**
	 * Return the worker with the given id.
	 * @param id the worker id
	 * @return the worker, or empty if there is none with this id
	 */
	public Optional<WorkerStatus> worker(int id) {
		return this.workers.stream().filter((worker) -> worker.id() == id).findFirst();
	}

	/**
	 * Return how many workers and standby processes are in the given state.
	 * @param state the state
	 * @return the count
	 */
	public long count(WorkerState state) {
		return this.workers.stream().filter((worker) -> worker.state() == state).count()
				+ this.standbys.stream().filter((standby) -> standby.state() == state).count();
	}

	/**
	 * The master process.
	 *
	 * @param pid its pid
	 * @param startedAt when it started
	 * @param uptime how long it has run
	 * @param address the address the cluster listens on, or {@code null} for all
	 * @param port the port the cluster listens on
	 * @param desiredWorkers the number of workers the master keeps running
	 * @param state whether it runs or shuts down
	 * @param rssBytes its resident memory
	 * @param primaryWorker the id of the worker that runs one-worker-only jobs, or
	 * {@code null} while none is ready
	 * @param replacements how many worker processes were started again, by reason
	 * @param abandoned why the master last gave up on workers that kept failing to boot
	 * while the others kept serving, or {@code null} if it never did
	 */
	public record MasterStatus(long pid, Instant startedAt, Duration uptime, @Nullable String address, int port,
			int desiredWorkers, MasterState state, long rssBytes, @Nullable Integer primaryWorker,
			Map<ReplacementReason, Long> replacements, @Nullable String abandoned) {

	}

	/**
	 * One worker id and its current process.
	 *
	 * @param id the stable id of the worker
	 * @param pid the pid of its current process, or {@code null} while it has none
	 * @param state its state
	 * @param startedAt when its current process started
	 * @param uptime how long its current process has run
	 * @param build what its current process runs, once it is ready
	 * @param rssBytes resident memory of its current process, sampled every second
	 * @param cpuPercent CPU use of its current process over the last second (100 = one
	 * core)
	 * @param heapUsedBytes heap in use, from its last heartbeat
	 * @param heapMaxBytes maximum heap, from its last heartbeat
	 * @param requestsServed requests its current process served
	 * @param requestsInFlight requests its current process is serving
	 * @param lastHeartbeat when its current process last sent a heartbeat
	 * @param restarts how many times a process was started again for this id
	 * @param lastReplacement why a process was last started again for this id
	 * @param lastExit how its previous process ended, or {@code null}
	 * @param replacement the process booting to take over, during a rolling restart
	 * @param stopping the pids of replaced processes that are still draining
	 * @param cpu the CPU its current process is pinned to
	 * ({@code cluster.worker.cpu-affinity=auto}), or {@code null} when it may run on every
	 * CPU of the master
	 */
	public record WorkerStatus(int id, @Nullable Long pid, WorkerState state, @Nullable Instant startedAt,
			@Nullable Duration uptime, @Nullable BuildInfo build, @Nullable Long rssBytes, @Nullable Double cpuPercent,
			@Nullable Long heapUsedBytes, @Nullable Long heapMaxBytes, @Nullable Long requestsServed,
			@Nullable Long requestsInFlight, @Nullable Instant lastHeartbeat, long restarts,
			@Nullable ReplacementReason lastReplacement, @Nullable ExitRecord lastExit,
			@Nullable ReplacementProcess replacement, List<Long> stopping, @Nullable Integer cpu) {

	}

	/**
	 * A standby process: booted ahead, held outside the accept pool, and what it costs.
	 *
	 * @param pid its pid
	 * @param state STARTING, STANDBY once ready, or STOPPING
	 * @param startedAt when it started
	 * @param uptime how long it has run
	 * @param rssBytes its resident memory, sampled every second
	 * @param heapUsedBytes heap in use, from its last heartbeat
	 * @param lastHeartbeat when it last sent a heartbeat
	 */
	public record StandbyStatus(long pid, WorkerState state, Instant startedAt, Duration uptime, long rssBytes,
			long heapUsedBytes, @Nullable Instant lastHeartbeat) {
	}

	/**
	 * What a worker process runs, as it reported it when ready.
	 *
	 * @param version the application's implementation version, if its jar has one
	 * @param jar the jar given to {@code java -jar}, or {@code null} on a class path
	 * @param jarModifiedAt when the jar was last modified (epoch milliseconds)
	 * @param jarSize the jar's size in bytes
	 */
	public record BuildInfo(@Nullable String version, @Nullable String jar, @Nullable Long jarModifiedAt,
			@Nullable Long jarSize) {

	}

	/**
	 * How a worker process ended.
	 *
	 * @param pid the pid of the process
	 * @param status its exit status (143 after SIGTERM, 137 after SIGKILL)
	 * @param at when the master saw it exit
	 */
	public record ExitRecord(long pid, int status, Instant at) {

	}

	/**
	 * A process booting to take over a worker id.
	 *
	 * @param pid its pid
	 * @param state STARTING, or READY just before it takes over
	 * @param startedAt when it started
	 */
	public record ReplacementProcess(long pid, WorkerState state, Instant startedAt) {

	}

	/**
	 * A rolling restart.
	 *
	 * @param state its state
	 * @param trigger what started it
	 * @param startedAt when it started
	 * @param finishedAt when it ended, or {@code null} while in progress
	 * @param total how many workers it covers
	 * @param completed how many of them were replaced
	 * @param replacing the ids of the workers being replaced now
	 * @param reason why it failed, or {@code null}
	 */
	public record RolloutStatus(RolloutState state, String trigger, Instant startedAt, @Nullable Instant finishedAt,
			int total, int completed, List<Integer> replacing, @Nullable String reason) {

	}

}
