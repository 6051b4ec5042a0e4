package io.github.clusterstarter.sample;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.clusterstarter.messaging.ClusterMessenger;

import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Cache invalidation across workers: every worker caches the greeting in memory; a
 * change on any worker is broadcast, and every worker, this one included, updates its
 * copy when the message arrives.
 */
@RestController
class GreetingController {

	private final ClusterMessenger messenger;

	private final Integer workerId;

	private volatile String greeting = "Hello";

	GreetingController(ClusterMessenger messenger, Environment environment) {
		this.messenger = messenger;
		this.workerId = environment.getProperty("cluster.worker.id", Integer.class);
	}

	@GetMapping("/greeting")
	Map<String, Object> greeting() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("worker", this.workerId);
		body.put("greeting", this.greeting);
		return body;
	}

	/**
	 * Tell which greeting this worker holds without sending it: compare the workers'
	 * copies of a large greeting.
	 * @return this worker's id and pid, and the greeting's length and SHA-256
	 * @throws NoSuchAlgorithmException never: every JVM has SHA-256
	 */
	@GetMapping("/greeting/digest")
	Map<String, Object> digest() throws NoSuchAlgorithmException {
		String greeting = this.greeting;
		byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(greeting.getBytes(StandardCharsets.UTF_8));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("worker", this.workerId);
		body.put("pid", ProcessHandle.current().pid());
		body.put("length", greeting.length());
		body.put("sha256", HexFormat.of().formatHex(sha256));
		return body;
	}

	/**
	 * Return the greeting this worker holds.
	 * @return the greeting
	 */
	String current() {
		return this.greeting;
	}

	@PutMapping("/greeting")
	Map<String, Object> change(@RequestParam String text) {
		int workers = this.messenger.broadcast(new GreetingChanged(text));
		return Map.of("greeting", text, "workersNotified", workers);
	}

	@EventListener
	void on(GreetingChanged change) {
		this.greeting = change.text();
	}

	/**
	 * Sent to every worker when the greeting changes.
	 *
	 * @param text the new greeting
	 */
	record GreetingChanged(String text) {
	}

}
