package io.github.clusterstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.clusterstarter.master.CpuAffinity;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * Properties of the worker processes, {@code cluster.worker.*}.
 */
public class ClusterWorkerProperties {

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

	/**
	 * Number of extra workers that boot, become ready and wait outside the accept pool,
	 * so that one takes over at once from a worker that crashes, hangs, is recycled or is
	 * added by scaling up. Each costs the memory of a worker.
	 */
	private int standby;

	/**
	 * How much to raise the nice value (lower the CPU priority) of a worker that boots
	 * while others serve: a respawn, a rolling restart, a scale-up or a standby. It takes
	 * the master's priority back before it accepts a connection, so that booting takes
	 * CPU time only the serving workers leave. 0 boots every worker at the master's
	 * priority. Needs a master that may lower a nice value again (root,
	 * CAP_SYS_NICE or RLIMIT_NICE); elsewhere every worker boots at the master's priority.
	 */
	private int bootNiceness = 10;

	/**
	 * Which CPUs a worker runs on once it serves. 'none' lets the kernel move it between
	 * the CPUs the master may use. 'auto' pins worker N to the Nth of them (starting
	 * over when there are more workers than CPUs), so that each JVM keeps its CPU's
	 * caches; worth it with a worker per CPU on CPUs the cluster has to itself. While a
	 * worker boots (a rollout, a respawn, a standby), the serving workers run on every CPU
	 * again, so that none waits behind the boot on its CPU.
	 */
	private CpuAffinity cpuAffinity = CpuAffinity.NONE;

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

	public int getStandby() {
		return this.standby;
	}

	public void setStandby(int standby) {
		this.standby = standby;
	}

	public CpuAffinity getCpuAffinity() {
		return this.cpuAffinity;
	}

	public void setCpuAffinity(CpuAffinity cpuAffinity) {
		this.cpuAffinity = cpuAffinity;
	}

	public int getBootNiceness() {
		return this.bootNiceness;
	}

	public void setBootNiceness(int bootNiceness) {
		this.bootNiceness = bootNiceness;
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
		 * writable by nobody else, or belong to root and then be only read (an archive
		 * made at image build time), or class data sharing is off. Default:
		 * 'boot-cluster-cds' in $XDG_CACHE_HOME or ~/.cache, or
		 * 'boot-cluster-cds-<uid>' in the temporary directory when the home directory is
		 * not writable.
		 */
		private @Nullable String directory;

		/**
		 * Whether the directories above the cache directory may be writable by others
		 * without the sticky bit, as a Kubernetes emptyDir is (mode 0777). Only where
		 * every process that can write to them is trusted: whoever can rename the cache
		 * directory can make the workers run their code.
		 */
		private boolean trustWritableParents;

		/**
		 * Whether to extract the jar and train its archive into the cache directory, then
		 * exit instead of starting the cluster: a step of a container image build, whose
		 * archive the image's workers then use read-only.
		 */
		private boolean prepare;

		/**
		 * Whether the training run starts the application completely, on a private
		 * loopback port, and sends itself the warm-up requests (cluster.worker.warmup.*)
		 * before it exits, so that the archive also holds the classes of request handling
		 * and, on Java 25, their method profiles. Off by default because the training run
		 * then also starts the application's lifecycle beans (schedulers, message
		 * listeners) once more; otherwise it stops once the context is refreshed.
		 */
		private boolean trainWithWarmup;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isTrainWithWarmup() {
			return this.trainWithWarmup;
		}

		public void setTrainWithWarmup(boolean trainWithWarmup) {
			this.trainWithWarmup = trainWithWarmup;
		}

		public @Nullable String getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable String directory) {
			this.directory = directory;
		}

		public boolean isTrustWritableParents() {
			return this.trustWritableParents;
		}

		public void setTrustWritableParents(boolean trustWritableParents) {
			this.trustWritableParents = trustWritableParents;
		}

		public boolean isPrepare() {
			return this.prepare;
		}

		public void setPrepare(boolean prepare) {
			this.prepare = prepare;
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

}
