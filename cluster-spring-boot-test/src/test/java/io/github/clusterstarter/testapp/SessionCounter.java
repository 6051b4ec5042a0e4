package io.github.clusterstarter.testapp;

import java.util.Map;

import jakarta.servlet.http.HttpSession;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebSession;

/**
 * Counts requests in the HTTP session, with the servlet {@code HttpSession} or the WebFlux
 * {@code WebSession}: {@code POST /session/count} answers the count and the worker.
 */
final class SessionCounter {

	private static final String COUNT = "count";

	private SessionCounter() {
	}

	private static int increment(Object count) {
		return (count instanceof Integer value) ? value + 1 : 1;
	}

	private static Map<String, Object> answer(int count, Environment environment) {
		return Map.of(COUNT, count, "worker", environment.getProperty("cluster.worker.id", Integer.class, 0));
	}

	@RestController
	@ConditionalOnWebApplication(type = Type.SERVLET)
	static class ServletSessionCounter {

		private final Environment environment;

		ServletSessionCounter(Environment environment) {
			this.environment = environment;
		}

		@PostMapping("/session/count")
		Map<String, Object> count(HttpSession session) {
			int count = increment(session.getAttribute(COUNT));
			session.setAttribute(COUNT, count);
			return answer(count, this.environment);
		}

	}

	@RestController
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	static class WebSessionCounter {

		private final Environment environment;

		WebSessionCounter(Environment environment) {
			this.environment = environment;
		}

		@PostMapping("/session/count")
		Mono<Map<String, Object>> count(WebSession session) {
			int count = increment(session.getAttribute(COUNT));
			session.getAttributes().put(COUNT, count);
			return Mono.just(answer(count, this.environment));
		}

	}

}
