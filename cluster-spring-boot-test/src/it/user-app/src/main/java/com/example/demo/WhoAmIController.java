package com.example.demo;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class WhoAmIController {

	private final Integer workerId;

	WhoAmIController(Environment environment) {
		// Set by the master in each worker; absent when the application runs as one process
		this.workerId = environment.getProperty("cluster.worker.id", Integer.class);
	}

	@GetMapping("/whoami")
	Map<String, Object> whoami() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("worker", this.workerId);
		body.put("pid", ProcessHandle.current().pid());
		return body;
	}

}
