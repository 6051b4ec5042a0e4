package io.github.clusterstarter.warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.WebServer;

/**
 * Warms a worker up once its application is ready and before it accepts connections from
 * the shared socket: it opens a private loopback listener on the worker's own web server,
 * sends the configured requests through it, calls the {@link ClusterWarmup} beans, sends
 * further rounds of requests while they keep the JIT compiler busy if asked to, and
 * removes the listener. Whatever fails is logged and nothing holds the worker back for
 * longer than the plan's timeout.
 */
public final class WorkerWarmup {

	private static final Log logger = LogFactory.getLog(WorkerWarmup.class);

	private final WarmupPlan plan;

	private final List<WarmupListenerFactory> listenerFactories;

	private final Map<String, ClusterWarmup> beans;

	private final Supplier<@Nullable WebServer> webServer;

	private final @Nullable JitActivity jit;

	/**
	 * Create a new warm-up.
	 * @param plan the requests to send
	 * @param listenerFactories the factories of private listeners, one per kind of web
	 * server
	 * @param beans the application's warm-up beans, by name
	 * @param webServer the worker's web server, once it is started
	 */
	public WorkerWarmup(WarmupPlan plan, List<WarmupListenerFactory> listenerFactories,
			Map<String, ClusterWarmup> beans, Supplier<@Nullable WebServer> webServer) {
		this(plan, listenerFactories, beans, webServer, JitActivity.ofThisJvm());
	}

	WorkerWarmup(WarmupPlan plan, List<WarmupListenerFactory> listenerFactories, Map<String, ClusterWarmup> beans,
			Supplier<@Nullable WebServer> webServer, @Nullable JitActivity jit) {
		this.plan = plan;
		this.listenerFactories = listenerFactories;
		this.beans = beans;
		this.webServer = webServer;
		this.jit = jit;
	}

	/**
	 * Warm up, if there is anything to do, and return when done or when the plan's
	 * timeout has passed.
	 */
	public void run() {
		if (!this.plan.enabled() || (this.plan.requests().isEmpty() && this.beans.isEmpty())) {
			return;
		}
		long start = System.nanoTime();
		try (WarmupListener listener = openListener()) {
			ExecutorService executor = Executors.newFixedThreadPool(this.plan.concurrency(), new WarmupThreads());
			try {
				warmUp(listener, executor, start);
			}
			finally {
				// Before the listener closes, so that no abandoned request is still being sent
				executor.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			logger.warn("Warm-up skipped: " + ex, ex);
		}
	}

	private void warmUp(WarmupListener listener, ExecutorService executor, long start) throws InterruptedException {
		long deadline = start + this.plan.timeout().toNanos();
		WarmupClient client = new WarmupClient(listener.port(), this.plan.requestTimeout());
		WarmupRequests requests = new WarmupRequests(this.plan, client);
		List<String> unfinished = new ArrayList<>();
		if (this.plan.hasRequests() && !awaitAll(requests.start(executor), deadline)) {
			requests.inFlight().forEach((request) -> unfinished.add(request.toString()));
		}
		int beansCalled = unfinished.isEmpty() ? callBeans(client, executor, deadline, unfinished) : 0;
		if (!unfinished.isEmpty()) {
			logger.warn("Warm-up stopped at its timeout of " + this.plan.timeout().toMillis()
					+ " ms (cluster.worker.warmup.timeout) with " + String.join(", ", unfinished)
					+ " unfinished; the worker joins without it");
		}
		String rounds = (unfinished.isEmpty() && this.plan.hasRequests() && this.plan.untilCompiled())
				? roundsUntilCompiled(requests, executor, deadline) : "";
		logger.info("Warmed up in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: "
				+ requests.answered() + " request(s) answered" + rounds + ", " + beansCalled
				+ " ClusterWarmup bean(s) called");
	}

	/**
	 * Send further rounds of the requests until one leaves the JIT compiler next to idle or
	 * the deadline passes: code that runs once per request is compiled by the optimizing
	 * compiler only after thousands of calls, which a fixed count rarely matches.
	 * @return how the rounds ended, for the summary
	 */
	private String roundsUntilCompiled(WarmupRequests requests, ExecutorService executor, long deadline)
			throws InterruptedException {
		JitActivity jit = this.jit;
		if (jit == null) {
			logger.warn("cluster.worker.warmup.until-compiled is ignored: this JVM reports no JIT compilation time");
			return "";
		}
		int rounds = 1;
		while (true) {
			JitActivity.Mark mark = jit.mark();
			int answered = requests.answered();
			if (!awaitAll(requests.start(executor), deadline)) {
				return " in " + rounds + " round(s) and the start of another; the JIT compiler was still busy at the"
						+ " timeout of " + this.plan.timeout().toMillis() + " ms (cluster.worker.warmup.timeout)";
			}
			rounds++;
			if (requests.answered() == answered) {
				// Every request failed and was left out: another round would send nothing
				return " in " + rounds + " rounds, the last of which had nothing left to send";
			}
			if (jit.settledSince(mark)) {
				return " in " + rounds + " rounds, the last of which left the JIT compiler next to idle";
			}
		}
	}

	private WarmupListener openListener() throws Exception {
		WebServer server = this.webServer.get();
		if (server == null) {
			throw new IllegalStateException("the application has no web server");
		}
		for (WarmupListenerFactory factory : this.listenerFactories) {
			Optional<WarmupListener> listener = factory.open(server);
			if (listener.isPresent()) {
				return listener.get();
			}
		}
		throw new IllegalStateException("no warm-up listener for " + server.getClass().getName());
	}

	/**
	 * Call every bean in turn until the deadline, each on a thread of the executor so that
	 * one that hangs can be abandoned.
	 * @return the number of beans that returned or threw
	 */
	private int callBeans(WarmupClient client, ExecutorService executor, long deadline, List<String> unfinished) {
		int called = 0;
		for (Map.Entry<String, ClusterWarmup> bean : this.beans.entrySet()) {
			Future<?> call = executor.submit(() -> {
				bean.getValue().warmUp(client);
				return null;
			});
			try {
				call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException ex) {
				logger.warn("ClusterWarmup bean '" + bean.getKey() + "' failed: " + ex.getCause(), ex.getCause());
			}
			catch (TimeoutException ex) {
				unfinished.add("ClusterWarmup bean '" + bean.getKey() + "'");
				return called;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return called;
			}
			called++;
		}
		return called;
	}

	private static boolean awaitAll(List<Future<?>> futures, long deadline) throws InterruptedException {
		for (Future<?> future : futures) {
			try {
				future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("Warm-up request sender failed", ex.getCause());
			}
			catch (TimeoutException ex) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Daemon threads, so that a warm-up that is abandoned never keeps the worker's JVM
	 * alive.
	 */
	private static final class WarmupThreads implements ThreadFactory {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, "cluster-warmup-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
