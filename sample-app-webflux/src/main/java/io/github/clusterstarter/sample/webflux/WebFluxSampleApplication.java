package io.github.clusterstarter.sample.webflux;

import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A WebFlux application on Reactor Netty that runs as a cluster of workers: see
 * {@code application.yml}.
 */
@SpringBootApplication
public class WebFluxSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(WebFluxSampleApplication.class, args);
	}

	@RestController
	static class WhoAmIController {

		private final Integer workerId;

		WhoAmIController(Environment environment) {
			// Absent when the application runs as a single process
			this.workerId = environment.getProperty("cluster.worker.id", Integer.class);
		}

		@GetMapping("/whoami")
		Mono<Map<String, Object>> whoami() {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("worker", this.workerId);
			body.put("pid", ProcessHandle.current().pid());
			return Mono.just(body);
		}

		@GetMapping("/hello")
		Mono<String> hello() {
			return Mono.just("hello");
		}

	}

}
