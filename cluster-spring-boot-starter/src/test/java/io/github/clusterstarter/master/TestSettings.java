package io.github.clusterstarter.master;

import java.time.Duration;
import java.util.List;

/**
 * Builds {@link ClusterSettings} for tests: the defaults of the properties, with two
 * workers that may boot together.
 */
final class TestSettings {

	private int workers = 2;

	private Duration shutdownTimeout = Duration.ofSeconds(60);

	private Duration shutdownDelay = Duration.ZERO;

	private Duration readyTimeout = Duration.ofSeconds(90);

	private Duration stopTimeout = Duration.ofSeconds(43);

	private int startConcurrency = 16;

	private int maxBootFailures = 5;

	private Duration initialBackoff = Duration.ofSeconds(1);

	private Duration maxBackoff = Duration.ofSeconds(30);

	private Duration backoffResetAfter = Duration.ofSeconds(60);

	private int rolloutBatchSize = 1;

	private int maxWorkers = 32;

	private Duration watchdogTimeout = Duration.ofSeconds(30);

	private long maxRequests;

	private long maxRequestsJitter;

	private long maxMemoryBytes;

	private int standby;

	private List<Integer> servingCpus = List.of();

	TestSettings workers(int workers) {
		this.workers = workers;
		return this;
	}

	TestSettings shutdownDelay(Duration delay) {
		this.shutdownDelay = delay;
		return this;
	}

	TestSettings shutdownTimeout(Duration timeout) {
		this.shutdownTimeout = timeout;
		return this;
	}

	TestSettings stopTimeout(Duration timeout) {
		this.stopTimeout = timeout;
		return this;
	}

	TestSettings readyTimeout(Duration timeout) {
		this.readyTimeout = timeout;
		return this;
	}

	TestSettings startConcurrency(int concurrency) {
		this.startConcurrency = concurrency;
		return this;
	}

	TestSettings maxBootFailures(int failures) {
		this.maxBootFailures = failures;
		return this;
	}

	TestSettings backoff(Duration initial, Duration max, Duration resetAfter) {
		this.initialBackoff = initial;
		this.maxBackoff = max;
		this.backoffResetAfter = resetAfter;
		return this;
	}

	TestSettings rolloutBatchSize(int batchSize) {
		this.rolloutBatchSize = batchSize;
		return this;
	}

	TestSettings maxWorkers(int max) {
		this.maxWorkers = max;
		return this;
	}

	TestSettings watchdogTimeout(Duration timeout) {
		this.watchdogTimeout = timeout;
		return this;
	}

	TestSettings maxRequests(long maxRequests, long jitter) {
		this.maxRequests = maxRequests;
		this.maxRequestsJitter = jitter;
		return this;
	}

	TestSettings standby(int standby) {
		this.standby = standby;
		return this;
	}

	TestSettings servingCpus(Integer... cpus) {
		this.servingCpus = List.of(cpus);
		return this;
	}

	TestSettings maxMemoryBytes(long bytes) {
		this.maxMemoryBytes = bytes;
		return this;
	}

	ClusterSettings build() {
		return new ClusterSettings(this.workers, "127.0.0.1", 8080, 511, Duration.ZERO, this.shutdownTimeout, this.shutdownDelay,
				this.readyTimeout, this.stopTimeout,
				this.startConcurrency, this.maxBootFailures, this.initialBackoff, this.maxBackoff,
				this.backoffResetAfter, List.of(), this.rolloutBatchSize, this.maxWorkers, this.watchdogTimeout,
				this.maxRequests, this.maxRequestsJitter, this.maxMemoryBytes, true, null, null, this.standby, 0,
				this.servingCpus);
	}

}
