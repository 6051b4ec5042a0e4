package io.github.clusterstarter;

import java.io.IOException;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @SpringBootTest} of an application that sets {@code cluster.workers} runs it
 * as one ordinary process.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cluster.workers=2", "server.address=127.0.0.1",
				"management.endpoints.web.exposure.include=cluster" })
class SingleProcessInTestsTests {

	@LocalServerPort
	private int port;

	@Test
	void runsAsOneProcess() throws IOException {
		RawHttp.Response whoami = RawHttp.get(this.port, "/whoami");
		assertThat(whoami.status()).isEqualTo(200);
		assertThat(JsonPath.<Integer>read(whoami.body(), "$.pid")).isEqualTo((int) ProcessHandle.current().pid());
		assertThat(JsonPath.<Boolean>read(RawHttp.get(this.port, "/actuator/cluster").body(), "$.clustered"))
			.isFalse();
	}

}
