package io.github.clusterstarter.worker.jetty;

import io.github.clusterstarter.worker.ConnectionDrainer;
import io.github.clusterstarter.worker.RequestStats;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Counts every request a worker's Jetty serves, but not its warm-up requests, and asks
 * clients to close their connection once the worker is draining, so that keep-alive
 * connections end after their current request instead of being cut later.
 */
class ClusterJettyHandler extends Handler.Wrapper {

	private final RequestStats requestStats;

	private final ConnectionDrainer drainer;

	ClusterJettyHandler(RequestStats requestStats, ConnectionDrainer drainer) {
		this.requestStats = requestStats;
		this.drainer = drainer;
	}

	@Override
	public boolean handle(Request request, Response response, Callback callback) throws Exception {
		if (this.drainer.isDraining()) {
			response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);
		}
		if (JettyWarmupListeners.isWarmup(request.getConnectionMetaData().getConnector())) {
			return super.handle(request, response, callback);
		}
		this.requestStats.started();
		boolean handled;
		try {
			handled = super.handle(request, response, Callback.from(callback, this.requestStats::finished));
		}
		catch (Exception | Error ex) {
			this.requestStats.finished();
			throw ex;
		}
		if (!handled) {
			this.requestStats.finished();
		}
		return handled;
	}

}
