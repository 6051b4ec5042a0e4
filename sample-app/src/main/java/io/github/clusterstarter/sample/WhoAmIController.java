package io.github.clusterstarter.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tells which worker served a request.
 */
@RestController
class WhoAmIController {

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
