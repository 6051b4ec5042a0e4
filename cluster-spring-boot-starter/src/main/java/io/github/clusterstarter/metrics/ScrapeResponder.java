package io.github.clusterstarter.metrics;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.ControlProtocol;
import io.github.clusterstarter.worker.MasterConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskExecutor;

/**
 * Answers another worker's cluster-wide scrape with this worker's metrics. The scrape
 * runs on the worker's scheduler, off the connection's reader thread.
 */
public class ScrapeResponder {

	private final MasterConnection connection;

	private final Supplier<String> localScrape;

	/**
	 * Create a new responder and start answering.
	 * @param connection the connection to the master
	 * @param localScrape this worker's metrics in the Prometheus text format
	 * @param executor where scrapes run
	 */
	public ScrapeResponder(MasterConnection connection, Supplier<String> localScrape, TaskExecutor executor) {
		this.connection = connection;
		this.localScrape = localScrape;
		connection.onMessage(ControlMessage.Scrape.class, (frame) -> executor.execute(() -> answer(frame.message())));
	}

	private void answer(ControlMessage.Scrape request) {
		byte[] text = this.localScrape.get().getBytes(StandardCharsets.UTF_8);
		if (text.length > ControlProtocol.MAX_BODY_BYTES) {
			this.connection.send(result(request, "its metrics text of %d bytes exceeds the limit of %d bytes"
				.formatted(text.length, ControlProtocol.MAX_BODY_BYTES)));
		}
		else {
			this.connection.send(result(request, null), text);
		}
	}

	private static ControlMessage.ScrapeResult result(ControlMessage.Scrape request, @Nullable String error) {
		return new ControlMessage.ScrapeResult(request.scrapeId(), request.requesterWorker(), request.requesterPid(),
				error);
	}

}
