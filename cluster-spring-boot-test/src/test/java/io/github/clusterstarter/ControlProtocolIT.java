package io.github.clusterstarter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterTest;
import io.github.clusterstarter.test.RawControlConnection;
import io.github.clusterstarter.test.RunningCluster;
import io.github.clusterstarter.testapp.TestApplication;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real master fed every kind of bad control message over an authenticated connection:
 * it answers each with an error, logs each once, and neither it nor any worker falls.
 */
@ClusterTest(workers = 2, classes = TestApplication.class)
class ControlProtocolIT {

	@Test
	void badMessagesAreAnsweredLoggedOnceAndHarmNobody(RunningCluster cluster) throws Exception {
		String before = cluster.status();
		List<Integer> pids = JsonPath.read(before, "$.workers[*].pid");
		long worker1 = pids.get(0);
		try (RawControlConnection refused = RawControlConnection.toMasterOf(worker1)) {
			refused.writeLine(refused.hello(99, 99, 1, worker1));
			String answer = refused.readHeader();
			assertThat(JsonPath.<String>read(answer, "$.message.type")).isEqualTo("refused");
			assertThat(JsonPath.<String>read(answer, "$.message.reason"))
				.contains("the worker speaks control protocol versions 99 to 99 and the master 2 to 2");
			assertThat(refused.readHeader()).isNull();
		}
		try (RawControlConnection connection = RawControlConnection.toMasterOf(worker1)) {
			connection.writeLine(connection.hello(2, 2, 1, worker1));
			assertThat(JsonPath.<String>read(connection.readHeader(), "$.message.type")).isEqualTo("welcome");
			Map<Integer, String> badRequests = Map.of(1, "{\"type\":\"heartbeat\",\"heapUsed\":1}", 2,
					"{\"type\":\"scale\",\"workers\":\"many\"}", 3, "{\"type\":\"launch-missiles\"}", 4,
					"{\"type\":\"hello\",\"protocolVersion\":3,\"minProtocolVersion\":3,\"secret\":\"x\","
							+ "\"worker\":1,\"pid\":1}");
			for (Map.Entry<Integer, String> request : badRequests.entrySet()) {
				connection.writeLine("{\"requestId\":%d,\"message\":%s}".formatted(request.getKey(), request.getValue()));
				String answer = connection.readAnswer(request.getKey());
				assertThat(JsonPath.<String>read(answer, "$.message.type")).as(request.getValue()).isEqualTo("error");
			}
			Random random = new Random(11);
			StringBuilder lines = new StringBuilder();
			for (int i = 0; i < 100_000; i++) {
				for (int length = random.nextInt(60); length > 0; length--) {
					lines.append((char) (' ' + random.nextInt(95)));
				}
				lines.append('\n');
			}
			connection.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
			byte[] chunk = new byte[1024 * 1024];
			Arrays.fill(chunk, (byte) 'x');
			for (int i = 0; i < 1024; i++) {
				connection.write(chunk);
			}
			connection.writeLine("");
			connection.writeLine("{\"requestId\":9,\"message\":{\"type\":\"status\"}}");
			String status = connection.readAnswer(9);
			assertThat(JsonPath.<String>read(status, "$.message.type")).isEqualTo("cluster-status");
		}
		String after = cluster.status();
		assertThat(JsonPath.<List<Integer>>read(after, "$.workers[*].pid")).isEqualTo(pids);
		assertThat(JsonPath.<List<Integer>>read(after, "$.workers[*].restarts")).containsOnly(0);
		assertThat(JsonPath.<List<String>>read(after, "$.workers[*].state")).containsOnly("READY");
		String output = cluster.output();
		String from = "Bad control message from worker 1 (pid " + worker1 + "): ";
		assertThat(output).containsOnlyOnce(from + "invalid 'heartbeat' message")
			.containsOnlyOnce(from + "invalid 'scale' message")
			.containsOnlyOnce(from + "invalid 'launch-missiles' message")
			.containsOnlyOnce("refused worker 1 (pid " + worker1 + "): the worker speaks control protocol versions 99")
			.containsOnlyOnce(from + "more problems follow; logging at most 10 every 10 s")
			.doesNotContain("Lost the connection to the cluster master");
	}

}
