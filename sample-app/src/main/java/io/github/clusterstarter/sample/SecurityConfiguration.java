package io.github.clusterstarter.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what: anyone reads the application and the actuator, only an
 * {@code ADMIN} (HTTP Basic) restarts or scales the cluster through
 * {@code POST /actuator/cluster}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers(HttpMethod.POST, "/actuator/cluster", "/actuator/cluster/*")
			.hasRole("ADMIN")
			.anyRequest()
			.permitAll());
		http.httpBasic(Customizer.withDefaults());
		// A JSON API for scripts and curl, without browser sessions or forms to protect
		http.csrf((csrf) -> csrf.disable());
		return http.build();
	}

}
