package io.github.clusterstarter.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.Binder;

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
	 * Time the kernel holds back a new connection that has sent nothing yet before a
	 * worker may accept it (TCP_DEFER_ACCEPT, in whole seconds): a worker is then woken
	 * once per connection, when its request has arrived. 0 hands every connection over as
	 * soon as its handshake completes. Not applied to a socket passed by systemd, whose
	 * unit decides (DeferAcceptSec=).
	 */
	private Duration deferAccept = Duration.ofSeconds(1);

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

	@NestedConfigurationProperty
	private final ClusterWorkerProperties worker = new ClusterWorkerProperties();

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

	public Duration getDeferAccept() {
		return this.deferAccept;
	}

	public void setDeferAccept(Duration deferAccept) {
		this.deferAccept = deferAccept;
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

	public ClusterWorkerProperties getWorker() {
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
		 * Whether the directories above the sessions directory may be writable by others
		 * without the sticky bit, as a Kubernetes emptyDir is (mode 0777). Only where
		 * every process that can write to them is trusted: whoever can rename the
		 * sessions directory can make the workers deserialize their data.
		 */
		private boolean trustWritableParents;

		/**
		 * How often the primary worker deletes the sessions that expired without being
		 * asked for again.
		 */
		private Duration cleanupInterval = Duration.ofMinutes(1);

		public boolean isShared() {
			return this.shared;
		}

		public boolean isTrustWritableParents() {
			return this.trustWritableParents;
		}

		public void setTrustWritableParents(boolean trustWritableParents) {
			this.trustWritableParents = trustWritableParents;
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
