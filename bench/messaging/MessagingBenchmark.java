package io.github.clusterstarter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.clusterstarter.messaging.ClusterMessenger;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application of {@code bench/messaging.sh}: the worker that gets a request is the
 * sender; every worker, the sender included, times each {@link Ping} from the
 * {@code System.nanoTime()} it carries (CLOCK_MONOTONIC, one clock for every process of
 * the machine) and, when the run's {@link RunEnd} arrives after its pings (a sender's
 * messages arrive in order), writes its figures to {@code bench.out}.
 */
@SpringBootApplication
public class MessagingBenchmark {

	public static void main(String[] args) {
		SpringApplication.run(MessagingBenchmark.class, args);
	}

	/**
	 * A small broadcast: what a cache invalidation carries.
	 */
	public record Ping(String run, long sequence, long sentNanos) {
	}

	/**
	 * The end of a run: every ping of the run arrived before it.
	 */
	public record RunEnd(String run, long sent) {
	}

	/**
	 * A broadcast per HTTP request, as the sample's {@code PUT /greeting}.
	 */
	public record Changed(String text) {
	}

	@RestController
	static class Sender {

		private final ClusterMessenger messenger;

		Sender(ClusterMessenger messenger) {
			this.messenger = messenger;
		}

		/**
		 * Send {@code count} pings as fast as {@code threads} threads can.
		 */
		@PostMapping("/messaging/flood")
		Map<String, Object> flood(@RequestParam String run, @RequestParam long count, @RequestParam int threads)
				throws InterruptedException {
			AtomicLong next = new AtomicLong();
			Thread[] senders = new Thread[threads];
			long start = System.nanoTime();
			for (int i = 0; i < threads; i++) {
				senders[i] = new Thread(() -> {
					for (long sequence = next.getAndIncrement(); sequence < count; sequence = next.getAndIncrement()) {
						this.messenger.broadcast(new Ping(run, sequence, System.nanoTime()));
					}
				});
				senders[i].start();
			}
			for (Thread sender : senders) {
				sender.join();
			}
			long elapsed = System.nanoTime() - start;
			this.messenger.broadcast(new RunEnd(run, count));
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("sent", count);
			result.put("perSecond", count * 1_000_000_000L / elapsed);
			return result;
		}

		/**
		 * Send {@code count} pings from one thread at a fixed rate: each at its slot,
		 * {@code 1/rate} after the previous one's, whatever the previous one took.
		 */
		@PostMapping("/messaging/paced")
		Map<String, Object> paced(@RequestParam String run, @RequestParam long count, @RequestParam int rate) {
			long period = 1_000_000_000L / rate;
			long start = System.nanoTime();
			long late = 0;
			for (long sequence = 0; sequence < count; sequence++) {
				long slot = start + sequence * period;
				long wait = slot - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				else if (wait < -period) {
					late++;
				}
				this.messenger.broadcast(new Ping(run, sequence, System.nanoTime()));
			}
			this.messenger.broadcast(new RunEnd(run, count));
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("sent", count);
			result.put("lateByMoreThanAPeriod", late);
			result.put("seconds", (System.nanoTime() - start) / 1e9);
			return result;
		}

		@PutMapping("/messaging/http")
		int http(@RequestParam String text) {
			return this.messenger.broadcast(new Changed(text));
		}

		@GetMapping("/messaging/none")
		int none() {
			return 0;
		}

	}

	/**
	 * Times pings on one worker; events arrive on one thread, in order.
	 */
	@Component
	static class Receiver {

		private final Path out;

		private final String worker;

		private String run = "";

		private long[] latencies = new long[1 << 16];

		private int received;

		private long firstSent;

		private long lastReceived;

		Receiver(@Value("${bench.out}") Path out, @Value("${cluster.worker.id:0}") String worker) {
			this.out = out;
			this.worker = worker;
		}

		@EventListener
		void on(Ping ping) {
			long now = System.nanoTime();
			if (!ping.run().equals(this.run)) {
				this.run = ping.run();
				this.received = 0;
				this.firstSent = ping.sentNanos();
			}
			if (this.received == this.latencies.length) {
				this.latencies = Arrays.copyOf(this.latencies, this.received * 2);
			}
			this.latencies[this.received++] = now - ping.sentNanos();
			this.lastReceived = now;
		}

		@EventListener
		void on(Changed changed) {
		}

		@EventListener
		void on(RunEnd end) throws IOException {
			long[] sorted = Arrays.copyOf(this.latencies, this.received);
			Arrays.sort(sorted);
			double seconds = (this.lastReceived - this.firstSent) / 1e9;
			String line = "worker=%s received=%d sent=%d perSecond=%.0f p50=%.3f p99=%.3f max=%.3f%n".formatted(
					this.worker, this.received, end.sent(), this.received / seconds, millis(sorted, 0.50),
					millis(sorted, 0.99), (sorted.length > 0) ? sorted[sorted.length - 1] / 1e6 : 0.0);
			Files.writeString(this.out.resolve("messaging-%s-worker%s.txt".formatted(end.run(), this.worker)), line);
			this.run = "";
		}

		private static double millis(long[] sorted, double quantile) {
			if (sorted.length == 0) {
				return 0;
			}
			return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
		}

	}

}
