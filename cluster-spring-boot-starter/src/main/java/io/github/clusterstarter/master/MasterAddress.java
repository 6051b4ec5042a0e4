package io.github.clusterstarter.master;

import java.nio.file.Path;

import io.github.clusterstarter.control.ClusterSecret;
import org.jspecify.annotations.Nullable;

/**
 * Where the cluster listens and where its workers find the master: known once the
 * master has bound its sockets.
 *
 * @param host the address the shared socket is bound to
 * @param port the port the shared socket listens on
 * @param controlSocket the path of the control socket
 * @param secret the secret workers present on the control socket
 * @param sessionsDirectory the directory of the sessions the workers share, or
 * {@code null}
 */
record MasterAddress(String host, int port, Path controlSocket, ClusterSecret secret,
		@Nullable Path sessionsDirectory) {

}
