package io.github.clusterstarter.sample;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A page behind Spring Security's form login: the login, its CSRF token and the security
 * context all live in the HTTP session, which every worker sees.
 */
@RestController
class AccountController {

	private final Integer workerId;

	AccountController(Environment environment) {
		this.workerId = environment.getProperty("cluster.worker.id", Integer.class);
	}

	@GetMapping("/account")
	Map<String, Object> account(Principal principal) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("user", principal.getName());
		body.put("worker", this.workerId);
		return body;
	}

}
