package io.github.clusterstarter.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what. The JSON API and the actuator: anyone reads, only an {@code ADMIN}
 * (HTTP Basic) restarts or scales the cluster through {@code POST /actuator/cluster}.
 * Everything else is a browser application: {@code /account} needs a form login, with
 * CSRF protection, both kept in the HTTP session that the workers share.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	@Order(1)
	SecurityFilterChain apiSecurityFilterChain(HttpSecurity http) throws Exception {
		http.securityMatcher("/actuator/**", "/greeting/**", "/whoami", "/hello", "/cart/**", "/cart");
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers(HttpMethod.POST, "/actuator/cluster", "/actuator/cluster/*")
			.hasRole("ADMIN")
			.anyRequest()
			.permitAll());
		http.httpBasic(Customizer.withDefaults());
		// For scripts and curl, without forms to protect
		http.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain browserSecurityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/account/**").authenticated()
			.anyRequest()
			.permitAll());
		http.formLogin(Customizer.withDefaults());
		return http.build();
	}

}
