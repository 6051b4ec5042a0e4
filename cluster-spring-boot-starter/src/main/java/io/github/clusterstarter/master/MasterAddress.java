package io.github.clusterstarter.master;

import java.nio.file.Path;

import io.github.clusterstarter.control.ClusterSecret;

/**
 * Where the cluster listens and where its workers find the master: known once the
 * master has bound its sockets.
 *
 * @param host the address the shared socket is bound to
 * @param port the port the shared socket listens on
 * @param controlSocket the path of the control socket
 * @param secret the secret workers present on the control socket
 */
record MasterAddress(String host, int port, Path controlSocket, ClusterSecret secret) {

}
