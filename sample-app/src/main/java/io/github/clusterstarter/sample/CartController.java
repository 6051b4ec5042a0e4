package io.github.clusterstarter.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpSession;

import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A shopping cart in the HTTP session: whichever worker serves a request, it sees the
 * items that the others added, because the workers of a cluster share their sessions.
 */
@RestController
class CartController {

	private static final String ITEMS = "items";

	private final Integer workerId;

	CartController(Environment environment) {
		this.workerId = environment.getProperty("cluster.worker.id", Integer.class);
	}

	@PostMapping("/cart/items")
	Map<String, Object> add(HttpSession session) {
		Integer items = (Integer) session.getAttribute(ITEMS);
		session.setAttribute(ITEMS, (items != null) ? items + 1 : 1);
		return cart(session);
	}

	@GetMapping("/cart")
	Map<String, Object> cart(HttpSession session) {
		Map<String, Object> body = new LinkedHashMap<>();
		Integer items = (Integer) session.getAttribute(ITEMS);
		body.put(ITEMS, (items != null) ? items : 0);
		body.put("worker", this.workerId);
		return body;
	}

}
