package com.example.demo;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cluster.workers: 2} is set, yet {@code @SpringBootTest} runs the application
 * in the test's JVM as one ordinary process: no master, no worker.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DemoApplicationTests {

	@LocalServerPort
	private int port;

	@Test
	void runsAsOneProcess() {
		RestClient client = RestClient.create("http://localhost:" + this.port);
		String whoami = client.get().uri("/whoami").retrieve().body(String.class);
		assertThat(JsonPath.<Object>read(whoami, "$.worker")).isNull();
		assertThat(JsonPath.<Number>read(whoami, "$.pid").longValue()).isEqualTo(ProcessHandle.current().pid());
		String cluster = client.get().uri("/actuator/cluster").retrieve().body(String.class);
		assertThat(JsonPath.<Boolean>read(cluster, "$.clustered")).isFalse();
		assertThat(ProcessHandle.current().children()).isEmpty();
	}

}
