package io.github.clusterstarter.sample;

import java.io.IOException;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.RawHttp;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample sets {@code cluster.workers: 2}, yet its {@code @SpringBootTest} runs it as
 * one ordinary process.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class SampleApplicationTests {

	@LocalServerPort
	private int port;

	@Test
	void whoamiAnswersFromThisProcess() throws IOException {
		RawHttp.Response response = RawHttp.get(this.port, "/whoami");
		assertThat(response.status()).isEqualTo(200);
		assertThat(JsonPath.<Object>read(response.body(), "$.worker")).isNull();
		assertThat(JsonPath.<Integer>read(response.body(), "$.pid")).isEqualTo((int) ProcessHandle.current().pid());
	}

	@Test
	void clusterEndpointSaysNotClustered() throws IOException {
		RawHttp.Response response = RawHttp.get(this.port, "/actuator/cluster");
		assertThat(response.status()).isEqualTo(200);
		assertThat(JsonPath.<Boolean>read(response.body(), "$.clustered")).isFalse();
	}

}
