package io.github.clusterstarter.worker.tomcat;

import java.io.IOException;

import io.github.clusterstarter.worker.RequestStats;
import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Counts every request the worker's Tomcat serves, but not its warm-up requests.
 */
class RequestStatsValve extends ValveBase {

	private final RequestStats stats;

	RequestStatsValve(RequestStats stats) {
		super(true);
		this.stats = stats;
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		if (request.getConnector() instanceof TomcatWarmupListeners.WarmupConnector) {
			getNext().invoke(request, response);
			return;
		}
		this.stats.started();
		try {
			getNext().invoke(request, response);
		}
		finally {
			this.stats.finished();
		}
	}

}
