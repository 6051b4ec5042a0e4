package io.github.clusterstarter.master;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The validated settings of a cluster master, read from the environment before any of the
 * application's beans exist.
 *
 * @param workers the number of workers
 * @param host the address to listen on, or {@code null} for all addresses
 * @param port the port to listen on, 0 for a free one
 * @param backlog the listen backlog
 * @param deferAccept how long the kernel holds back a connection that sends nothing
 * before a worker may accept it, zero for not at all
 * @param shutdownTimeout how long workers may take to stop gracefully
 * @param shutdownDelay how long the cluster keeps serving after it was told to stop
 * @param readyTimeout how long a worker may take to become ready
 * @param stopTimeout how long a worker told to stop may take to exit before it is killed
 * @param startConcurrency how many workers may boot at the same time
 * @param maxBootFailures how many workers in a row may fail to boot
 * @param initialBackoff first delay before a respawn
 * @param maxBackoff largest delay before a respawn
 * @param backoffResetAfter ready time after which the delay starts over
 * @param jvmArgs additional JVM options for the workers
 * @param rolloutBatchSize how many workers a rolling restart replaces at a time
 * @param maxWorkers the largest number of workers the cluster may be scaled to
 * @param watchdogTimeout time without a heartbeat after which a worker counts as hung, zero
 * for never
 * @param maxRequests requests after which a worker is recycled, 0 for never
 * @param maxRequestsJitter largest random addition to maxRequests
 * @param maxMemoryBytes resident memory above which a worker is recycled, 0 for never
 * @param exitOnOutOfMemory whether workers exit on an OutOfMemoryError
 * @param cdsDirectory where class data sharing archives are kept, or {@code null} when
 * class data sharing is off
 * @param sessionsDirectory where the directories of shared sessions are kept (one per
 * port), or {@code null} when workers do not share sessions
 * @param standbyWorkers how many standby workers wait, ready to take over
 * @param bootNiceness how much lower the CPU priority of a worker that boots while others
 * serve, 0 for none
 * @param servingCpus the CPUs serving workers are pinned to, one each in turn
 * ({@code cluster.worker.cpu-affinity=auto}); empty for none
 */
public record ClusterSettings(int workers, @Nullable String host, int port, int backlog, Duration deferAccept,
		Duration shutdownTimeout,
		Duration shutdownDelay,
		Duration readyTimeout, Duration stopTimeout, int startConcurrency, int maxBootFailures, Duration initialBackoff, Duration maxBackoff,
		Duration backoffResetAfter, List<String> jvmArgs, int rolloutBatchSize, int maxWorkers,
		Duration watchdogTimeout, long maxRequests, long maxRequestsJitter, long maxMemoryBytes,
		boolean exitOnOutOfMemory, PrivateDirectory.@Nullable Location cdsDirectory,
		PrivateDirectory.@Nullable Location sessionsDirectory,
		int standbyWorkers, int bootNiceness, List<Integer> servingCpus) {

}
