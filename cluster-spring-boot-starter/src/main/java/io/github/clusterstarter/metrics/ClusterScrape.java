package io.github.clusterstarter.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.Frame;
import io.github.clusterstarter.worker.MasterConnection;
import org.jspecify.annotations.Nullable;

/**
 * Collects the metrics of every ready worker, this one included, through the master,
 * which relays the request and the answers without reading them.
 */
public class ClusterScrape {

	private final MasterConnection connection;

	private final Map<String, Collection> collections = new ConcurrentHashMap<>();

	/**
	 * Create a new instance.
	 * @param connection the connection to the master
	 */
	public ClusterScrape(MasterConnection connection) {
		this.connection = connection;
		connection.onMessage(ControlMessage.ScrapePart.class, this::receive);
	}

	private void receive(Frame<ControlMessage.ScrapePart> frame) {
		ControlMessage.ScrapePart part = frame.message();
		Collection collection = this.collections.get(part.scrapeId());
		if (collection != null) {
			collection.add(part.worker(), (part.error() != null) ? Part.failed(part.error())
					: Part.of(new String(frame.body(), StandardCharsets.UTF_8)));
		}
	}

	/**
	 * Collect the metrics of every ready worker.
	 * @param timeout how long to wait for the workers
	 * @return each asked worker's part by worker id; a worker that did not answer in time
	 * has a failed part
	 * @throws io.github.clusterstarter.worker.MasterUnavailableException if the master
	 * does not answer in time
	 */
	public Map<Integer, Part> collect(Duration timeout) {
		String scrapeId = UUID.randomUUID().toString();
		Collection collection = new Collection();
		this.collections.put(scrapeId, collection);
		try {
			ControlMessage.Scraping asked = this.connection.request(new ControlMessage.ScrapeAll(scrapeId),
					Frame.NO_BODY, ControlMessage.Scraping.class, timeout);
			return collection.await(Set.copyOf(asked.workers()), timeout);
		}
		finally {
			this.collections.remove(scrapeId);
		}
	}

	/**
	 * One worker's part of a collection.
	 *
	 * @param text its metrics, or {@code null} if it has none
	 * @param error why it has none, or {@code null}
	 * @param answered whether the worker answered: a worker that did not is left out,
	 * one that answered with an error fails the collection
	 */
	public record Part(@Nullable String text, @Nullable String error, boolean answered) {

		static Part of(String text) {
			return new Part(text, null, true);
		}

		static Part failed(String error) {
			return new Part(null, error, true);
		}

		static Part missing(String reason) {
			return new Part(null, reason, false);
		}

	}

	/**
	 * The parts arriving for one collection.
	 */
	private static final class Collection {

		private final Map<Integer, Part> parts = new TreeMap<>();

		synchronized void add(int workerId, Part part) {
			this.parts.put(workerId, part);
			notifyAll();
		}

		synchronized Map<Integer, Part> await(Set<Integer> expected, Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			try {
				while (!this.parts.keySet().containsAll(expected)) {
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						break;
					}
					TimeUnit.NANOSECONDS.timedWait(this, left);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			Map<Integer, Part> collected = new TreeMap<>(this.parts);
			for (int workerId : expected) {
				collected.putIfAbsent(workerId, Part.missing("no answer within %d ms".formatted(timeout.toMillis())));
			}
			return collected;
		}

	}

}
