package io.github.clusterstarter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterLauncher;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.RunningCluster;
import io.github.clusterstarter.test.WebStack;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker warms up through its own web server and handler chain before it accepts from
 * the shared socket, on every server and stack, and a warm-up that fails or hangs holds it
 * back no longer than its timeout. The test application's {@code /warmup/*} endpoints
 * count the calls ({@code testapp/WarmupProbe}).
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class WarmupIT {

	private static final Pattern WARMED_UP = Pattern.compile("Warmed up in (\\d+) ms");

	private static final Pattern UNTIL_COMPILED = Pattern
		.compile("(\\d+) request\\(s\\) answered in (\\d+) rounds, the last of which left the JIT compiler next to idle");

	private RunningCluster cluster;

	@AfterEach
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(WebStack.class)
	void workerIsWarmedUpThroughItsOwnChainBeforeItAccepts(WebStack stack) throws IOException {
		this.cluster = stack.launcher()
			.withWorkers(1)
			.withProperties("cluster.worker.warmup.paths=/warmup/hit", "cluster.worker.warmup.count=20",
					"testapp.warmup-bean.post=true")
			.start();
		String calls = RawHttp.get(this.cluster.port(), "/warmup/calls").body();
		// 20 GETs of the configured path and 5 POSTs of the ClusterWarmup bean, all before
		// the worker could accept a connection
		assertThat(JsonPath.<Integer>read(calls, "$.calls")).isEqualTo(25);
		assertThat(JsonPath.<Integer>read(calls, "$.callsWhileGateClosed")).isEqualTo(25);
		// Sent to the private listener, never to the shared socket
		assertThat(JsonPath.<List<String>>read(calls, "$.hosts")).isNotEmpty()
			.allSatisfy((host) -> assertThat(host).startsWith("127.0.0.1:")
				.isNotEqualTo("127.0.0.1:" + this.cluster.port()));
		assertThat(this.cluster.output()).contains("20 request(s) answered",
				"1 ClusterWarmup bean(s) called");
		// The worker counts only what it served from the shared socket
		await().atMost(Duration.ofSeconds(10)).until(() -> servedByWorker1() >= 1);
		assertThat(servedByWorker1()).isLessThan(20);
	}

	@Test
	void warmupThatFailsAndHangsIsWarnedAndEndsAtItsTimeout() throws IOException {
		this.cluster = ClusterLauncher.forApplication(TestApplication.class)
			.withWorkers(1)
			.withProperties("cluster.worker.warmup.paths=/warmup/fail,/warmup/hang,/warmup/hit",
					"cluster.worker.warmup.count=5", "cluster.worker.warmup.request-timeout=1s",
					"cluster.worker.warmup.timeout=4s", "testapp.warmup-bean.throw=true",
					"testapp.warmup-bean.hang=true")
			.start();
		// The path that answers was sent every time in spite of the others
		assertThat(JsonPath.<Integer>read(RawHttp.get(this.cluster.port(), "/warmup/calls").body(), "$.calls"))
			.isEqualTo(5);
		String output = this.cluster.output();
		assertThat(output).containsOnlyOnce("Warm-up request GET /warmup/fail answered 500")
			.containsOnlyOnce("Warm-up request GET /warmup/hang had no answer within 1000 ms")
			.containsOnlyOnce("ClusterWarmup bean 'throwingWarmup' failed: java.lang.IllegalStateException: "
					+ "Warm-up failure requested by testapp.warmup-bean.throw")
			.containsOnlyOnce("Warm-up stopped at its timeout of 4000 ms (cluster.worker.warmup.timeout) with "
					+ "ClusterWarmup bean 'hangingWarmup' unfinished");
		Matcher warmedUp = WARMED_UP.matcher(output);
		assertThat(warmedUp.find()).as("the warm-up's summary").isTrue();
		assertThat(Long.parseLong(warmedUp.group(1))).as("warm-up time in ms").isBetween(4000L, 7000L);
	}

	@Test
	void untilCompiledSendsRoundsUntilTheRealCompilerSettles() throws IOException {
		this.cluster = ClusterLauncher.forApplication(TestApplication.class)
			.withWorkers(1)
			.withProperties("cluster.worker.warmup.paths=/warmup/hit", "cluster.worker.warmup.count=200",
					"cluster.worker.warmup.until-compiled=true", "cluster.worker.warmup.timeout=60s")
			.start();
		Matcher rounds = UNTIL_COMPILED.matcher(this.cluster.output());
		assertThat(rounds.find()).as("the warm-up's summary with its rounds").isTrue();
		int answered = Integer.parseInt(rounds.group(1));
		// A cold JVM compiles while the first rounds run: more than the one round of a fixed count
		assertThat(Integer.parseInt(rounds.group(2))).isGreaterThan(2);
		assertThat(answered).isEqualTo(200 * Integer.parseInt(rounds.group(2)));
		assertThat(JsonPath.<Integer>read(RawHttp.get(this.cluster.port(), "/warmup/calls").body(), "$.calls"))
			.isEqualTo(answered);
	}

	private long servedByWorker1() throws IOException {
		return JsonPath.<Number>read(RawHttp.get(this.cluster.port(), "/actuator/cluster/1").body(), "$.requestsServed")
			.longValue();
	}

}
