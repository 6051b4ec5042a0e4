package io.github.clusterstarter.warmup;

/**
 * Warms up a worker before it takes connections from the shared socket: a bean of this
 * type is called once in every worker (first start, respawn, rolling restart, scale-up)
 * after the application is ready and the configured {@code cluster.worker.warmup}
 * requests are sent, and before the worker accepts its first connection. Use it for
 * what a list of paths cannot express: a POST whose body depends on an earlier answer, a
 * login, or code paths that are not HTTP at all.
 * <p>
 * It runs on a thread of its own and within {@code cluster.worker.warmup.timeout}: one
 * that throws is logged, one that is still running then is interrupted and abandoned,
 * and either way the worker joins. Not called when the application runs as one process.
 */
@FunctionalInterface
public interface ClusterWarmup {

	/**
	 * Warm the application up.
	 * @param client a client of this worker's private warm-up listener, which serves
	 * requests through the application's full handler chain but not on the shared socket
	 * @throws Exception on any failure, which is logged
	 */
	void warmUp(WarmupClient client) throws Exception;

}
