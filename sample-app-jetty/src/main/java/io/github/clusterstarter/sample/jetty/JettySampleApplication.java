package io.github.clusterstarter.sample.jetty;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring MVC application on Jetty that runs as a cluster of workers: see
 * {@code application.yml}.
 */
@SpringBootApplication
public class JettySampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(JettySampleApplication.class, args);
	}

	@RestController
	static class WhoAmIController {

		private final Integer workerId;

		WhoAmIController(Environment environment) {
			// Absent when the application runs as a single process
			this.workerId = environment.getProperty("cluster.worker.id", Integer.class);
		}

		@GetMapping("/whoami")
		Map<String, Object> whoami() {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("worker", this.workerId);
			body.put("pid", ProcessHandle.current().pid());
			return body;
		}

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

	}

}
