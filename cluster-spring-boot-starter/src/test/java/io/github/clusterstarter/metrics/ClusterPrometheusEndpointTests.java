package io.github.clusterstarter.metrics;

import java.time.Duration;

import io.github.clusterstarter.worker.MasterUnavailableException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class ClusterPrometheusEndpointTests {

	@Test
	void masterThatDoesNotAnswerIsServiceUnavailableWithTheReason() {
		// The exception's constructor is the worker package's own; a mock carries the message
		MasterUnavailableException unavailable = mock(MasterUnavailableException.class);
		given(unavailable.getMessage()).willReturn("The cluster master did not answer within 5000 ms");
		ClusterScrape scrape = mock(ClusterScrape.class);
		given(scrape.collect(any(Duration.class))).willThrow(unavailable);
		WebEndpointResponse<String> response = new ClusterPrometheusEndpoint(scrape, () -> "local").scrape();
		assertThat(response.getStatus()).isEqualTo(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		assertThat(response.getBody())
			.isEqualTo("Cannot scrape the cluster: The cluster master did not answer within 5000 ms%n".formatted());
	}

	@Test
	void notClusteredAnswersThisProcessMetrics() {
		WebEndpointResponse<String> response = new ClusterPrometheusEndpoint(null, () -> "local").scrape();
		assertThat(response.getStatus()).isEqualTo(WebEndpointResponse.STATUS_OK);
		assertThat(response.getBody()).isEqualTo("local");
	}

}
