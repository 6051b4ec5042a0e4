package io.github.clusterstarter.warmup;

import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Sends the requests of a {@link WarmupPlan} in rounds, in turn so that each is warmed even
 * when the warm-up runs out of time, from {@code concurrency} threads. A request that fails,
 * answers with an error status or times out is logged once and not sent again: sending it
 * again would cost the boot time without warming anything useful.
 */
final class WarmupRequests {

	private static final Log logger = LogFactory.getLog(WarmupRequests.class);

	private final WarmupPlan plan;

	private final WarmupClient client;

	private final AtomicInteger next = new AtomicInteger();

	private final AtomicInteger answered = new AtomicInteger();

	private final Set<WarmupRequest> failed = ConcurrentHashMap.newKeySet();

	private final Map<Thread, WarmupRequest> inFlight = new ConcurrentHashMap<>();

	WarmupRequests(WarmupPlan plan, WarmupClient client) {
		this.plan = plan;
		this.client = client;
	}

	/**
	 * Start a round, every request {@code count} times, on the given executor, once the
	 * senders of the round before have completed.
	 * @param executor the executor, with at least {@code concurrency} threads
	 * @return the senders, which complete when every request is sent
	 */
	List<Future<?>> start(ExecutorService executor) {
		this.next.set(0);
		List<Future<?>> senders = new ArrayList<>();
		for (int i = 0; i < this.plan.concurrency(); i++) {
			senders.add(executor.submit(this::send));
		}
		return senders;
	}

	private void send() {
		List<WarmupRequest> requests = this.plan.requests();
		int total = requests.size() * this.plan.count();
		for (int i = this.next.getAndIncrement(); i < total; i = this.next.getAndIncrement()) {
			WarmupRequest request = requests.get(i % requests.size());
			if (this.failed.contains(request)) {
				continue;
			}
			this.inFlight.put(Thread.currentThread(), request);
			try {
				HttpResponse<String> response = this.client.send(request.toHttpRequest(this.client));
				if (response.statusCode() >= 400) {
					fail(request, "answered " + response.statusCode());
				}
				else {
					this.answered.incrementAndGet();
				}
			}
			catch (InterruptedException ex) {
				// Abandoned at the warm-up's timeout, which reports what was in flight
				Thread.currentThread().interrupt();
				return;
			}
			catch (HttpTimeoutException ex) {
				fail(request, "had no answer within " + this.plan.requestTimeout().toMillis() + " ms");
			}
			catch (Exception ex) {
				fail(request, "failed: " + ex);
			}
			finally {
				this.inFlight.remove(Thread.currentThread());
			}
		}
	}

	private void fail(WarmupRequest request, String outcome) {
		if (this.failed.add(request)) {
			logger.warn("Warm-up request " + request + " " + outcome + "; it is left out of the warm-up");
		}
	}

	/**
	 * Return the number of requests answered with a success status.
	 * @return the count
	 */
	int answered() {
		return this.answered.get();
	}

	/**
	 * Return the requests being sent now.
	 * @return the requests in flight
	 */
	Set<WarmupRequest> inFlight() {
		return Set.copyOf(this.inFlight.values());
	}

}
