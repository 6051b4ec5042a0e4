package io.github.clusterstarter.test;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.jayway.jsonpath.JsonPath;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * Asks a cluster until every worker answered. The kernel hands each connection to one of
 * the workers that share the socket, so any fixed number of requests may all reach the
 * same worker: this sends requests over new connections until each worker answered, or
 * fails when the time is up.
 */
public final class EveryWorker {

	private EveryWorker() {
	}

	/**
	 * Send {@code GET path} over new connections until workers 1 to {@code workers} each
	 * answered.
	 * @param port the port
	 * @param path the path, answered with a JSON object whose {@code worker} is the id of
	 * the worker that answered
	 * @param workers how many workers there are
	 * @param timeout how long to try
	 * @return the last answer of each worker, by worker id
	 */
	public static Map<Integer, String> awaitAnswers(int port, String path, int workers, Duration timeout) {
		return awaitAnswers(port, path, workers, (body) -> true, timeout);
	}

	/**
	 * Send {@code GET path} over new connections until workers 1 to {@code workers} each
	 * gave an accepted answer.
	 * @param port the port
	 * @param path the path, answered with a JSON object whose {@code worker} is the id of
	 * the worker that answered
	 * @param workers how many workers there are
	 * @param accepted which answer bodies count
	 * @param timeout how long to try
	 * @return the last accepted answer of each worker, by worker id
	 */
	public static Map<Integer, String> awaitAnswers(int port, String path, int workers, Predicate<String> accepted,
			Duration timeout) {
		Set<Integer> ids = IntStream.rangeClosed(1, workers).boxed().collect(Collectors.toSet());
		Map<Integer, String> answers = new TreeMap<>();
		try {
			await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> {
				String body = get(port, path);
				if (accepted.test(body)) {
					answers.put(JsonPath.read(body, "$.worker"), body);
				}
				return answers.keySet().equals(ids);
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("Within " + timeout.toSeconds() + " s, only worker(s) " + answers.keySet()
					+ " of " + ids + " gave an accepted answer to GET " + path, ex);
		}
		return answers;
	}

	private static String get(int port, String path) throws IOException {
		RawHttp.Response response = RawHttp.get(port, path);
		if (response.status() != 200) {
			throw new AssertionError("GET " + path + " answered " + response.status() + ": " + response.body());
		}
		return response.body();
	}

}
