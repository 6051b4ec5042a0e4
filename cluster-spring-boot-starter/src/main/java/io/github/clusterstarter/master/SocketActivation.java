package io.github.clusterstarter.master;

import java.util.List;
import java.util.Map;

import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import io.github.clusterstarter.socket.ListeningSocket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Decides where the shared socket comes from. Under systemd's socket activation the
 * service manager passes a listening socket as file descriptor 3, naming the process it
 * is meant for in {@code LISTEN_PID} and counting the sockets in {@code LISTEN_FDS}: the
 * master adopts it, so that the socket outlives restarts of the whole service and
 * connections wait in its queue meanwhile. Otherwise the master binds
 * {@code server.address:server.port} itself, unless it replaces a master that passed
 * its socket on ({@link MasterUpgrade}), and makes the socket defer the accept of
 * connections ({@code cluster.defer-accept}); a socket systemd passed keeps the options
 * of its unit.
 */
final class SocketActivation {

	private static final Log logger = LogFactory.getLog(SocketActivation.class);

	/**
	 * The first file descriptor of the passed sockets ({@code SD_LISTEN_FDS_START}).
	 */
	static final int FIRST_FD = 3;

	/**
	 * The variables of socket activation, meant for the master alone.
	 */
	static final List<String> VARIABLES = List.of("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES");

	private SocketActivation() {
	}

	/**
	 * Return the listening socket of the cluster: the one systemd passed, or a new one.
	 * @param settings the settings, for the address and port to bind
	 * @param environment the master's environment
	 * @param pid the master's pid
	 * @return the listening socket
	 * @throws ClusterConfigurationException if systemd passed more than one socket
	 */
	static ListeningSocket open(ClusterSettings settings, Map<String, String> environment, long pid) {
		if (MasterUpgrade.replacesParent(environment)) {
			ListeningSocket socket = ListeningSocket.inherit(0);
			logger.info("Using the listening socket of the master this one replaces (pid %s)"
				.formatted(environment.get(MasterUpgrade.FROM_VARIABLE)));
			return deferAccept(socket, settings);
		}
		Integer fd = passedSocket(environment, pid);
		if (fd == null) {
			return deferAccept(ListeningSocket.bind(settings.host(), settings.port(), settings.backlog()), settings);
		}
		ListeningSocket socket = ListeningSocket.adopt(fd);
		logger.info("Using the listening socket passed by systemd (socket activation, fd %d%s) instead of binding one"
			.formatted(fd, names(environment)));
		if (settings.port() != 0 && settings.port() != socket.port()) {
			logger.warn(("server.port is %d, but the socket systemd passed listens on %s port %d: the cluster serves "
					+ "port %d. Make server.port and the ListenStream= of the .socket unit agree.")
				.formatted(settings.port(), socket.host(), socket.port(), socket.port()));
		}
		return socket;
	}

	/**
	 * A socket passed by systemd keeps what its unit says ({@code DeferAcceptSec=}).
	 */
	private static ListeningSocket deferAccept(ListeningSocket socket, ClusterSettings settings) {
		if (!socket.deferAccept(settings.deferAccept())) {
			logger.warn(("Could not make %s defer the accept of connections until their first bytes arrive "
					+ "(cluster.defer-accept): each worker is woken once more per connection").formatted(socket));
		}
		return socket;
	}

	/**
	 * Return the file descriptor of the socket that systemd passed to this process.
	 * @param environment the master's environment
	 * @param pid the master's pid
	 * @return the file descriptor, or {@code null} if no socket was passed to this
	 * process (none at all, or sockets meant for another process, such as a parent that
	 * started the JVM without {@code exec})
	 * @throws ClusterConfigurationException if more than one socket was passed
	 */
	static @Nullable Integer passedSocket(Map<String, String> environment, long pid) {
		String listenPid = environment.get("LISTEN_PID");
		String listenFds = environment.get("LISTEN_FDS");
		if (listenPid == null || listenFds == null || !listenPid.trim().equals(Long.toString(pid))) {
			return null;
		}
		int count;
		try {
			count = Integer.parseInt(listenFds.trim());
		}
		catch (NumberFormatException ex) {
			return null;
		}
		if (count > 1) {
			throw new ClusterConfigurationException(
					"systemd passed %d sockets (LISTEN_FDS=%d%s), but a cluster shares exactly one listening socket"
						.formatted(count, count, names(environment)),
					"Give the .socket unit of this service a single ListenStream=.");
		}
		return (count == 1) ? FIRST_FD : null;
	}

	private static String names(Map<String, String> environment) {
		String names = environment.get("LISTEN_FDNAMES");
		return (names != null && !names.isEmpty()) ? ", LISTEN_FDNAMES=" + names : "";
	}

}
