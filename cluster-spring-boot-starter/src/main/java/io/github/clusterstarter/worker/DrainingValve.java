package io.github.clusterstarter.worker;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Asks clients to close their connection once the worker is draining, so that keep-alive
 * connections end after their current request instead of being cut later.
 */
class DrainingValve extends ValveBase {

	private volatile boolean draining;

	DrainingValve() {
		super(true);
	}

	void startDraining() {
		this.draining = true;
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		if (this.draining) {
			response.setHeader("Connection", "close");
		}
		getNext().invoke(request, response);
	}

}
