package io.github.clusterstarter.test;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * Asks a cluster until every worker answered. The kernel hands each connection to one of
 * the workers that share the socket, so any fixed number of requests may all reach the
 * same worker: this sends requests over new connections until each worker answered, or
 * fails when the time is up.
 */
final class EveryWorker {

	private EveryWorker() {
	}

	/**
	 * Send {@code GET path} over new connections until the given workers each gave an
	 * accepted answer.
	 * @param port the port
	 * @param path the path, answered with a JSON object whose {@code worker} is the id of
	 * the worker that answered
	 * @param ids the ids of the workers that must answer
	 * @param accepted which answer bodies count
	 * @param timeout how long to try
	 * @return the last accepted answer of each worker, by worker id
	 */
	static Map<Integer, String> awaitAnswers(int port, String path, Set<Integer> ids, Predicate<String> accepted,
			Duration timeout) {
		Map<Integer, String> answers = new TreeMap<>();
		try {
			await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> {
				String body = get(port, path);
				if (accepted.test(body)) {
					answers.put(workerId(path, body), body);
				}
				return answers.keySet().containsAll(ids);
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("Within " + timeout.toSeconds() + " s, only worker(s) " + answers.keySet()
					+ " of " + ids + " gave an accepted answer to GET " + path, ex);
		}
		return answers;
	}

	private static int workerId(String path, String body) {
		JsonNode worker = JsonMapper.shared().readTree(body).path("worker");
		if (!worker.isIntegralNumber()) {
			throw new AssertionError("GET " + path + " answered without the id of the worker in 'worker': " + body);
		}
		return worker.intValue();
	}

	private static String get(int port, String path) throws IOException {
		RawHttp.Response response = RawHttp.get(port, path);
		if (response.status() != 200) {
			throw new AssertionError("GET " + path + " answered " + response.status() + ": " + response.body());
		}
		return response.body();
	}

}
