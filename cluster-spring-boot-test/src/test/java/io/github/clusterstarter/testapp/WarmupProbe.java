package io.github.clusterstarter.testapp;

import java.net.http.HttpRequest.BodyPublishers;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.clusterstarter.warmup.ClusterWarmup;
import io.github.clusterstarter.worker.AcceptGate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * Endpoints for the warm-up tests, served by Spring MVC and WebFlux alike:
 * {@code /warmup/hit} counts its calls, how many came while the worker's accept gate was
 * still closed, and the {@code Host} each was sent to; {@code /warmup/calls} reports
 * them. {@code /warmup/fail} answers 500 and {@code /warmup/hang} never answers.
 * {@code --testapp.warmup-bean.post=true} adds a {@link ClusterWarmup} bean that POSTs to
 * {@code /warmup/hit} five times, {@code .throw=true} one that throws and
 * {@code .hang=true} one that never returns, called in that order.
 */
@RestController
class WarmupProbe {

	private final ObjectProvider<AcceptGate> acceptGate;

	private final AtomicInteger calls = new AtomicInteger();

	private final AtomicInteger callsWhileGateClosed = new AtomicInteger();

	private final Set<String> hosts = ConcurrentHashMap.newKeySet();

	WarmupProbe(ObjectProvider<AcceptGate> acceptGate) {
		this.acceptGate = acceptGate;
	}

	@RequestMapping(path = "/warmup/hit", method = { RequestMethod.GET, RequestMethod.POST })
	Map<String, Object> hit(@RequestHeader(HttpHeaders.HOST) String host) {
		this.calls.incrementAndGet();
		AcceptGate gate = this.acceptGate.getIfAvailable();
		if (gate != null && !gate.isOpen()) {
			this.callsWhileGateClosed.incrementAndGet();
		}
		this.hosts.add(host);
		return Map.of("warmup", true);
	}

	@GetMapping("/warmup/calls")
	Map<String, Object> calls() {
		return Map.of("calls", this.calls.get(), "callsWhileGateClosed", this.callsWhileGateClosed.get(), "hosts",
				Set.copyOf(this.hosts));
	}

	@GetMapping("/warmup/fail")
	ResponseEntity<String> fail() {
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body("failed on purpose");
	}

	@GetMapping("/warmup/hang")
	String hang() throws InterruptedException {
		new CountDownLatch(1).await();
		return "never";
	}

	@Configuration(proxyBeanMethods = false)
	static class WarmupBeans {

		@Bean
		@ConditionalOnProperty("testapp.warmup-bean.post")
		ClusterWarmup postingWarmup() {
			return (client) -> {
				for (int i = 0; i < 5; i++) {
					client.send(client.request("/warmup/hit").POST(BodyPublishers.noBody()).build());
				}
			};
		}

		@Bean
		@ConditionalOnProperty("testapp.warmup-bean.throw")
		ClusterWarmup throwingWarmup() {
			return (client) -> {
				throw new IllegalStateException("Warm-up failure requested by testapp.warmup-bean.throw");
			};
		}

		@Bean
		@ConditionalOnProperty("testapp.warmup-bean.hang")
		ClusterWarmup hangingWarmup() {
			return (client) -> new CountDownLatch(1).await();
		}

	}

}
