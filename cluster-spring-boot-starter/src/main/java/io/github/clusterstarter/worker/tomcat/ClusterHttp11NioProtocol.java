package io.github.clusterstarter.worker.tomcat;

import org.apache.coyote.http11.Http11NioProtocol;

/**
 * HTTP/1.1 NIO protocol handler of a worker: serves the shared socket through a
 * {@link ClusterNioEndpoint}.
 */
public class ClusterHttp11NioProtocol extends Http11NioProtocol {

	public ClusterHttp11NioProtocol() {
		super(new ClusterNioEndpoint());
	}

	/**
	 * Return the endpoint that serves the shared socket.
	 * @return the endpoint
	 */
	public ClusterNioEndpoint getClusterEndpoint() {
		return (ClusterNioEndpoint) getEndpoint();
	}

}
