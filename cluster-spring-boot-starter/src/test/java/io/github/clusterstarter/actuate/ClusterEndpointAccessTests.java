package io.github.clusterstarter.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code cluster} endpoint's write operations restart and scale the cluster, so, like
 * {@code shutdown}, they are off until the application turns them on.
 */
class ClusterEndpointAccessTests {

	@Nested
	@SpringBootTest(classes = Application.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "server.address=127.0.0.1", "management.endpoints.web.exposure.include=cluster" })
	class ByDefault {

		@LocalServerPort
		int port;

		@Test
		void readsButNoWrites() throws Exception {
			assertThat(send(this.port, "GET", "").statusCode()).isEqualTo(200);
			assertThat(send(this.port, "POST", "{\"workers\":3}").statusCode()).isEqualTo(405);
		}

	}

	@Nested
	@SpringBootTest(classes = Application.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "server.address=127.0.0.1", "management.endpoints.web.exposure.include=cluster",
					"management.endpoint.cluster.access=unrestricted" })
	class WhenTurnedOn {

		@LocalServerPort
		int port;

		@Test
		void writesReachTheEndpoint() throws Exception {
			HttpResponse<String> scale = send(this.port, "POST", "{\"workers\":3}");
			assertThat(scale.statusCode()).isEqualTo(409);
			assertThat(scale.body()).contains("This application does not run as a cluster");
		}

	}

	static HttpResponse<String> send(int port, String method, String json) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/cluster"))
			.header("Content-Type", "application/json")
			.method(method, json.isEmpty() ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(json))
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootApplication
	static class Application {

	}

}
