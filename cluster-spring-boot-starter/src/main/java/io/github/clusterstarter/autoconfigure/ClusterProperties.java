package io.github.clusterstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for running the application as a cluster of workers.
 */
@ConfigurationProperties(ClusterProperties.PREFIX)
public class ClusterProperties {

	/**
	 * Prefix of all cluster properties.
	 */
	public static final String PREFIX = "cluster";

	/**
	 * Number of worker processes, or 'auto' for one per available processor. Absent or 0
	 * runs the application as a single ordinary process.
	 */
	private @Nullable String workers;

	/**
	 * Length of the queue of connections that the kernel holds for the shared listening
	 * socket before a worker accepts them.
	 */
	private int backlog = 511;

	/**
	 * Time the master waits for its workers to shut down gracefully before it kills
	 * them.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(60);

	/**
	 * Time the cluster keeps accepting and serving connections after SIGTERM or SIGINT,
	 * with the 'cluster' health indicator reporting OUT_OF_SERVICE, before it stops
	 * admitting connections and stops its workers: time for a load balancer or a
	 * Kubernetes Service to stop sending it connections. Replaces a 'preStop' sleep hook.
	 */
	private Duration shutdownDelay = Duration.ZERO;

	private final Worker worker = new Worker();

	private final Rollout rollout = new Rollout();

	private final Sessions sessions = new Sessions();

	private final Cache cache = new Cache();

	private final Messaging messaging = new Messaging();

	public @Nullable String getWorkers() {
		return this.workers;
	}

	public void setWorkers(@Nullable String workers) {
		this.workers = workers;
	}

	public int getBacklog() {
		return this.backlog;
	}

	public void setBacklog(int backlog) {
		this.backlog = backlog;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Duration getShutdownDelay() {
		return this.shutdownDelay;
	}

	public void setShutdownDelay(Duration shutdownDelay) {
		this.shutdownDelay = shutdownDelay;
	}

	public Worker getWorker() {
		return this.worker;
	}

	public Rollout getRollout() {
		return this.rollout;
	}

	public Sessions getSessions() {
		return this.sessions;
	}

	public Cache getCache() {
		return this.cache;
	}

	public Messaging getMessaging() {
		return this.messaging;
	}

	/**
	 * Return the properties bound from the given binder, or the defaults.
	 * @param binder the binder to use
	 * @return the bound properties
	 */
	public static ClusterProperties get(Binder binder) {
		return binder.bind(PREFIX, ClusterProperties.class).orElseGet(ClusterProperties::new);
	}

	/**
	 * Worker process properties.
	 */
	public static class Worker {

		/**
		 * Time a worker may take from its start until its application is ready. A worker
		 * that is not ready by then is killed and counts as a failed boot.
		 */
		private Duration readyTimeout = Duration.ofSeconds(90);

		/**
		 * Maximum time a stopping worker waits for its open connections to close
		 * (responses carry 'Connection: close' meanwhile) before Spring Boot's graceful
		 * shutdown finishes the requests still in flight.
		 */
		private Duration drainTimeout = Duration.ofSeconds(3);

		/**
		 * Time a worker told to stop (replaced by a rolling restart, recycled, removed by
		 * scaling down) may take to exit before it is killed, so that a shutdown hook or
		 * a '@PreDestroy' method that never returns cannot hold its worker id forever.
		 * Default: the drain timeout, plus 'spring.lifecycle.timeout-per-shutdown-phase',
		 * plus 10 seconds.
		 */
		private @Nullable Duration stopTimeout;

		/**
		 * Number of workers that may boot at the same time. Default: half the available
		 * processors, at least 1, because booting JVMs compete for the CPUs.
		 */
		private @Nullable Integer startConcurrency;

		/**
		 * Number of workers in a row that may exit before they became ready before the
		 * master gives up and exits.
		 */
		private int maxBootFailures = 5;

		/**
		 * Additional JVM options for the workers, after the ones copied from the master.
		 */
		private List<String> jvmArgs = new ArrayList<>();

		/**
		 * Time without a heartbeat after which a ready worker counts as hung: the master
		 * has it print a thread dump (SIGQUIT), kills it and starts a replacement. 0
		 * turns the watchdog off.
		 */
		private Duration timeout = Duration.ofSeconds(30);

		/**
		 * Number of requests after which a worker is replaced gracefully, 0 for never.
		 */
		private long maxRequests;

		/**
		 * Largest random number added to max-requests for each worker, so that workers
		 * started together are not all replaced at once.
		 */
		private long maxRequestsJitter;

		/**
		 * Resident memory (RSS) above which a worker is replaced gracefully. Checked every
		 * second. Unset for never.
		 */
		private @Nullable DataSize maxMemory;

		/**
		 * Whether workers run with -XX:+ExitOnOutOfMemoryError (unless their JVM options
		 * already say what to do on an OutOfMemoryError), so that a worker out of memory
		 * exits and is replaced instead of limping on.
		 */
		private boolean exitOnOutOfMemory = true;

		private final RestartBackoff restartBackoff = new RestartBackoff();

		private final Cds cds = new Cds();

		public Duration getReadyTimeout() {
			return this.readyTimeout;
		}

		public void setReadyTimeout(Duration readyTimeout) {
			this.readyTimeout = readyTimeout;
		}

		public @Nullable Duration getStopTimeout() {
			return this.stopTimeout;
		}

		public void setStopTimeout(@Nullable Duration stopTimeout) {
			this.stopTimeout = stopTimeout;
		}

		public Duration getDrainTimeout() {
			return this.drainTimeout;
		}

		public void setDrainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

		public @Nullable Integer getStartConcurrency() {
			return this.startConcurrency;
		}

		public void setStartConcurrency(@Nullable Integer startConcurrency) {
			this.startConcurrency = startConcurrency;
		}

		public int getMaxBootFailures() {
			return this.maxBootFailures;
		}

		public void setMaxBootFailures(int maxBootFailures) {
			this.maxBootFailures = maxBootFailures;
		}

		public List<String> getJvmArgs() {
			return this.jvmArgs;
		}

		public void setJvmArgs(List<String> jvmArgs) {
			this.jvmArgs = jvmArgs;
		}

		public RestartBackoff getRestartBackoff() {
			return this.restartBackoff;
		}

		public Cds getCds() {
			return this.cds;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public long getMaxRequests() {
			return this.maxRequests;
		}

		public void setMaxRequests(long maxRequests) {
			this.maxRequests = maxRequests;
		}

		public long getMaxRequestsJitter() {
			return this.maxRequestsJitter;
		}

		public void setMaxRequestsJitter(long maxRequestsJitter) {
			this.maxRequestsJitter = maxRequestsJitter;
		}

		public @Nullable DataSize getMaxMemory() {
			return this.maxMemory;
		}

		public void setMaxMemory(@Nullable DataSize maxMemory) {
			this.maxMemory = maxMemory;
		}

		public boolean isExitOnOutOfMemory() {
			return this.exitOnOutOfMemory;
		}

		public void setExitOnOutOfMemory(boolean exitOnOutOfMemory) {
			this.exitOnOutOfMemory = exitOnOutOfMemory;
		}

	}

	/**
	 * HTTP sessions shared by the workers.
	 */
	public static class Sessions {

		/**
		 * Whether the workers share their HTTP sessions (servlet and WebFlux, through
		 * Spring Session), so that a session is seen by whichever worker serves a
		 * request and outlives restarts of workers and of the master. Applications
		 * that configure their own Spring Session store are left alone.
		 */
		private boolean shared = true;

		/**
		 * Directory of the shared session files; the cluster keeps them in a
		 * subdirectory named after its port. It must belong to this user and be
		 * writable by nobody else. Default: 'boot-cluster-sessions-<uid>' in the
		 * temporary directory.
		 */
		private @Nullable String directory;

		/**
		 * How often the primary worker deletes the sessions that expired without being
		 * asked for again.
		 */
		private Duration cleanupInterval = Duration.ofMinutes(1);

		public boolean isShared() {
			return this.shared;
		}

		public void setShared(boolean shared) {
			this.shared = shared;
		}

		public @Nullable String getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable String directory) {
			this.directory = directory;
		}

		public Duration getCleanupInterval() {
			return this.cleanupInterval;
		}

		public void setCleanupInterval(Duration cleanupInterval) {
			this.cleanupInterval = cleanupInterval;
		}

	}

	/**
	 * Class data sharing for faster worker boots.
	 */
	public static class Cds {

		/**
		 * Whether workers of an application started with 'java -jar' boot from an
		 * extracted copy of the jar with an application class data sharing archive,
		 * created by a training run in the background.
		 */
		private boolean enabled = true;

		/**
		 * Directory for extracted jars and archives. It must belong to this user and be
		 * writable by nobody else, or class data sharing is off. Default:
		 * 'boot-cluster-cds' in $XDG_CACHE_HOME or ~/.cache, or
		 * 'boot-cluster-cds-<uid>' in the temporary directory when the home directory is
		 * not writable.
		 */
		private @Nullable String directory;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable String directory) {
			this.directory = directory;
		}

	}

	/**
	 * Delay between respawns of a worker that keeps exiting unexpectedly.
	 */
	public static class RestartBackoff {

		/**
		 * Delay before the second respawn of a worker that keeps exiting unexpectedly (the
		 * first is immediate).
		 */
		private Duration initial = Duration.ofSeconds(1);

		/**
		 * Upper bound of the delay, which doubles with every further unexpected exit.
		 */
		private Duration max = Duration.ofSeconds(30);

		/**
		 * Time a worker must stay ready for its delay to start again from the initial
		 * one.
		 */
		private Duration resetAfter = Duration.ofSeconds(60);

		public Duration getInitial() {
			return this.initial;
		}

		public void setInitial(Duration initial) {
			this.initial = initial;
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = max;
		}

		public Duration getResetAfter() {
			return this.resetAfter;
		}

		public void setResetAfter(Duration resetAfter) {
			this.resetAfter = resetAfter;
		}

	}

	/**
	 * Rolling restart properties.
	 */
	public static class Rollout {

		/**
		 * Number of workers a rolling restart replaces at a time. Each replacement boots
		 * beside the worker it replaces, so this many extra JVMs run during a rollout.
		 */
		private int batchSize = 1;

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

	}

	/**
	 * In-process caches (ConcurrentMap, Caffeine), of which every worker has a copy.
	 */
	public static class Cache {

		/**
		 * Whether an eviction or clear of an in-process cache on one worker also happens
		 * on every other worker. Reads and writes stay in each worker's copy.
		 */
		private boolean evictAcrossWorkers = true;

		public boolean isEvictAcrossWorkers() {
			return this.evictAcrossWorkers;
		}

		public void setEvictAcrossWorkers(boolean evictAcrossWorkers) {
			this.evictAcrossWorkers = evictAcrossWorkers;
		}

	}

	/**
	 * Messaging between workers.
	 */
	public static class Messaging {

		/**
		 * Whether a message sent to a destination of Spring's simple STOMP broker on one
		 * worker also reaches the subscribers connected to every other worker.
		 */
		private boolean stompRelay = true;

		public boolean isStompRelay() {
			return this.stompRelay;
		}

		public void setStompRelay(boolean stompRelay) {
			this.stompRelay = stompRelay;
		}

	}

}
