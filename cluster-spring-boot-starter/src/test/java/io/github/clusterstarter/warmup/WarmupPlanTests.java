package io.github.clusterstarter.warmup;

import java.time.Duration;
import java.util.Map;

import io.github.clusterstarter.autoconfigure.ClusterWarmupProperties;
import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WarmupPlanTests {

	private final MockEnvironment environment = new MockEnvironment();

	private WarmupPlan plan() {
		return WarmupPlan.of(ClusterWarmupProperties.get(Binder.get(this.environment)));
	}

	@Test
	void defaultsToNothingToSend() {
		WarmupPlan plan = plan();
		assertThat(plan.enabled()).isTrue();
		assertThat(plan.requests()).isEmpty();
		assertThat(plan.hasRequests()).isFalse();
		assertThat(plan.count()).isEqualTo(200);
		assertThat(plan.concurrency()).isEqualTo(2);
		assertThat(plan.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(plan.timeout()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void pathsAreGetRequestsAndRequestsFollowThem() {
		this.environment.withProperty("cluster.worker.warmup.paths", "/hello,/orders?page=1")
			.withProperty("cluster.worker.warmup.requests[0].method", "POST")
			.withProperty("cluster.worker.warmup.requests[0].path", "/cart/items")
			.withProperty("cluster.worker.warmup.requests[0].headers.Content-Type", "application/json")
			.withProperty("cluster.worker.warmup.requests[0].body", "{\"sku\":1}")
			.withProperty("cluster.worker.warmup.count", "50")
			.withProperty("cluster.worker.warmup.concurrency", "4")
			.withProperty("cluster.worker.warmup.request-timeout", "2s")
			.withProperty("cluster.worker.warmup.timeout", "10s");
		WarmupPlan plan = plan();
		assertThat(plan.requests()).containsExactly(new WarmupRequest("GET", "/hello", Map.of(), null),
				new WarmupRequest("GET", "/orders?page=1", Map.of(), null), new WarmupRequest("POST", "/cart/items",
						Map.of("Content-Type", "application/json"), "{\"sku\":1}"));
		assertThat(plan.hasRequests()).isTrue();
		assertThat(plan.count()).isEqualTo(50);
		assertThat(plan.concurrency()).isEqualTo(4);
		assertThat(plan.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(plan.timeout()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void disabledPlanHasNoRequestsToSend() {
		this.environment.withProperty("cluster.worker.warmup.paths", "/hello")
			.withProperty("cluster.worker.warmup.enabled", "false");
		assertThat(plan().hasRequests()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "hello", "//evil.example/x", "http://evil.example/x", "/a b", "/x#fragment", " " })
	void pathThatIsNotAnOriginFormPathFailsFast(String path) {
		this.environment.withProperty("cluster.worker.warmup.paths[0]", "/ok")
			.withProperty("cluster.worker.warmup.paths[1]", path);
		assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(this::plan)
			.withMessageContaining("'cluster.worker.warmup.paths[1]'")
			.withMessageContaining("must be a path starting with a single '/'");
	}

	@Test
	void requestWithoutPathFailsFast() {
		this.environment.withProperty("cluster.worker.warmup.requests[0].method", "POST");
		assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(this::plan)
			.withMessageContaining("'cluster.worker.warmup.requests[0].path'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "GE T", "CONNECT", "" })
	void invalidMethodFailsFast(String method) {
		this.environment.withProperty("cluster.worker.warmup.requests[0].path", "/x")
			.withProperty("cluster.worker.warmup.requests[0].method", method);
		assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(this::plan)
			.withMessageContaining("'cluster.worker.warmup.requests[0]'")
			.withMessageContaining("the method or a header is not valid");
	}

	@Test
	void headerTheClientSetsItselfFailsFast() {
		this.environment.withProperty("cluster.worker.warmup.requests[0].path", "/x")
			.withProperty("cluster.worker.warmup.requests[0].headers.Connection", "close");
		assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(this::plan)
			.withMessageContaining("'cluster.worker.warmup.requests[0]'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "count", "concurrency" })
	void countsBelowOneFailFast(String property) {
		this.environment.withProperty("cluster.worker.warmup." + property, "-1");
		assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(this::plan)
			.withMessage("Invalid value '-1' for property 'cluster.worker.warmup." + property + "': must be 1 or more.");
		this.environment.withProperty("cluster.worker.warmup." + property, "0");
		assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(this::plan);
	}

	@ParameterizedTest
	@ValueSource(strings = { "timeout", "request-timeout" })
	void timeoutsThatAreNotPositiveFailFast(String property) {
		this.environment.withProperty("cluster.worker.warmup." + property, "0s");
		assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(this::plan)
			.withMessageContaining("'cluster.worker.warmup." + property + "'")
			.withMessageContaining("must be a positive duration");
	}

}
