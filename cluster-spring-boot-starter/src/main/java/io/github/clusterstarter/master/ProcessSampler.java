package io.github.clusterstarter.master;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Samples, every second, the resident memory and CPU use of every worker process and the
 * master's own resident memory, without asking the processes; the master gives memory back
 * when its own grew.
 */
final class ProcessSampler {

	static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

	/**
	 * Where the figures come from: {@code /proc}, read directly for the memory and by the
	 * JDK for the CPU time.
	 */
	static final Source PROC = new Source() {

		@Override
		public long rssBytes(long pid) {
			return ProcessMetrics.rssBytes(pid);
		}

		@Override
		public long availableBytes() {
			return ProcessMetrics.availableBytes();
		}

		@Override
		public long cpuNanos(long pid) {
			return ProcessHandle.of(pid)
				.flatMap((process) -> process.info().totalCpuDuration())
				.map(Duration::toNanos)
				.orElse(0L);
		}

	};

	private final WorkerPool pool;

	private final Source source;

	private final MasterFootprint footprint;

	private final long masterPid;

	private boolean sampled;

	private long sampledNanos;

	private long masterRssBytes;

	ProcessSampler(WorkerPool pool, Source source, MasterFootprint footprint, long masterPid) {
		this.pool = pool;
		this.source = source;
		this.footprint = footprint;
		this.masterPid = masterPid;
	}

	/**
	 * Take a sample if the last one is a second old.
	 * @param now the current time
	 * @return whether it took one
	 */
	boolean sampleIfDue(long now) {
		if (this.sampled && now - this.sampledNanos < INTERVAL_NANOS) {
			return false;
		}
		this.sampled = true;
		this.sampledNanos = now;
		this.masterRssBytes = this.source.rssBytes(this.masterPid);
		this.footprint.shrinkIfGrown(this.masterRssBytes, now);
		this.pool.processes().forEach((process) -> sample(process, now));
		return true;
	}

	private void sample(WorkerProcess process, long now) {
		process.rssBytes = this.source.rssBytes(process.pid);
		long cpuNanos = this.source.cpuNanos(process.pid);
		if (process.cpuSampledNanos != 0 && cpuNanos >= process.cpuNanos) {
			process.cpuPercent = 100.0 * (cpuNanos - process.cpuNanos) / (now - process.cpuSampledNanos);
		}
		process.cpuNanos = cpuNanos;
		process.cpuSampledNanos = now;
	}

	long masterRssBytes() {
		return this.masterRssBytes;
	}

	/**
	 * Reads the figures of a process.
	 */
	interface Source {

		/**
		 * Return the resident set size of a process.
		 * @param pid the process
		 * @return the RSS in bytes, 0 if the process is gone
		 */
		long rssBytes(long pid);

		/**
		 * Return the memory that new processes can still use.
		 * @return the available memory in bytes, {@link Long#MAX_VALUE} if unknown
		 */
		long availableBytes();

		/**
		 * Return the CPU time a process used, user and system.
		 * @param pid the process
		 * @return the CPU time in nanoseconds, 0 if the process is gone
		 */
		long cpuNanos(long pid);

	}

}
