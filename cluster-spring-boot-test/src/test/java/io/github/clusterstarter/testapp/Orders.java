package io.github.clusterstarter.testapp;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A non-idempotent request: {@code POST /orders} with a body takes an order and answers
 * its number in this worker.
 */
@RestController
class Orders {

	private final AtomicLong taken = new AtomicLong();

	@PostMapping("/orders")
	String take(@RequestBody String order) {
		return "order " + this.taken.incrementAndGet() + ": " + order;
	}

}
