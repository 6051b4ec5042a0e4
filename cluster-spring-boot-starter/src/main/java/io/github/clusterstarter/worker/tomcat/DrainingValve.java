package io.github.clusterstarter.worker.tomcat;

import java.io.IOException;

import io.github.clusterstarter.worker.ConnectionDrainer;
import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Asks clients to close their connection once the worker is draining, so that keep-alive
 * connections end after their current request instead of being cut later.
 */
class DrainingValve extends ValveBase {

	private final ConnectionDrainer drainer;

	DrainingValve(ConnectionDrainer drainer) {
		super(true);
		this.drainer = drainer;
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		if (this.drainer.isDraining()) {
			response.setHeader("Connection", "close");
		}
		getNext().invoke(request, response);
	}

}
