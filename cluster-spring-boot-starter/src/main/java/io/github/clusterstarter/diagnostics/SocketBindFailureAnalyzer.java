package io.github.clusterstarter.diagnostics;

import io.github.clusterstarter.socket.SocketBindException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports that the master could not bind the cluster's listening socket.
 */
class SocketBindFailureAnalyzer extends AbstractFailureAnalyzer<SocketBindException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, SocketBindException cause) {
		String where = (cause.getHost() != null) ? cause.getHost() + ":" + cause.getPort()
				: "port " + cause.getPort();
		String description = "The cluster master could not listen on %s: %s.".formatted(where, cause.getMessage());
		String action = switch (cause.getReason()) {
			case ADDRESS_IN_USE -> ("Identify and stop the process that is listening on port %d, "
					+ "or set 'server.port' to another port (0 picks a free one).").formatted(cause.getPort());
			case PERMISSION_DENIED -> ("Ports below 1024 need privileges: set 'server.port' to 1024 or above, "
					+ "or grant the JVM CAP_NET_BIND_SERVICE.");
			case ADDRESS_NOT_AVAILABLE, UNKNOWN_HOST -> ("Set 'server.address' to an address of this host, "
					+ "or remove it to listen on all addresses.");
			case OTHER -> "Check 'server.address' and 'server.port'.";
		};
		return new FailureAnalysis(description, action, cause);
	}

}
