package io.github.clusterstarter.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;

/**
 * A connection to a running master's control socket that writes whatever a test tells it
 * to, as a hostile or broken worker would. It finds the socket and the secret in a
 * worker's environment, which only the same user (or root) can read.
 */
public final class RawControlConnection implements AutoCloseable {

	private final SocketChannel channel;

	private final InputStream input;

	private final Map<String, String> workerEnvironment;

	private RawControlConnection(SocketChannel channel, Map<String, String> workerEnvironment) {
		this.channel = channel;
		this.input = Channels.newInputStream(channel);
		this.workerEnvironment = workerEnvironment;
	}

	/**
	 * Connect to the master of the given worker process.
	 * @param workerPid the pid of a worker
	 * @return the connection
	 * @throws IOException if the worker's environment or the socket cannot be read
	 */
	public static RawControlConnection toMasterOf(long workerPid) throws IOException {
		Map<String, String> environment = new HashMap<>();
		for (String variable : Files.readString(Path.of("/proc/" + workerPid + "/environ")).split("\0")) {
			int equals = variable.indexOf('=');
			if (equals > 0) {
				environment.put(variable.substring(0, equals), variable.substring(equals + 1));
			}
		}
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		channel.connect(UnixDomainSocketAddress.of(environment.get("BOOT_CLUSTER_CONTROL_SOCKET")));
		return new RawControlConnection(channel, environment);
	}

	/**
	 * Return the header of a hello with the worker's secret.
	 * @param protocolVersion the newest version to claim
	 * @param minProtocolVersion the oldest version to claim
	 * @param workerId the worker id to claim
	 * @param pid the pid to claim
	 * @return the header line
	 */
	public String hello(int protocolVersion, int minProtocolVersion, int workerId, long pid) {
		return ("{\"message\":{\"type\":\"hello\",\"protocolVersion\":%d,\"minProtocolVersion\":%d,\"secret\":\"%s\","
				+ "\"worker\":%d,\"pid\":%d}}").formatted(protocolVersion, minProtocolVersion,
						this.workerEnvironment.get("BOOT_CLUSTER_SECRET"), workerId, pid);
	}

	/**
	 * Write one line.
	 * @param line the line, without its end
	 * @throws IOException on a write failure
	 */
	public void writeLine(String line) throws IOException {
		write((line + "\n").getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Write bytes as they are.
	 * @param bytes the bytes
	 * @throws IOException on a write failure
	 */
	public void write(byte[] bytes) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		while (buffer.hasRemaining()) {
			this.channel.write(buffer);
		}
	}

	/**
	 * Read the next frame's header, skipping its body.
	 * @return the header as JSON, or {@code null} at the end of the stream
	 * @throws IOException on a read failure
	 */
	public String readHeader() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = this.input.read()) != '\n') {
			if (b < 0) {
				return null;
			}
			line.write(b);
		}
		String header = line.toString(StandardCharsets.UTF_8);
		Number bodyLength = JsonPath.read(header, "$.bodyLength");
		this.input.skipNBytes(bodyLength.longValue());
		return header;
	}

	/**
	 * Read headers until one answers the given request.
	 * @param requestId the request
	 * @return the answer's header
	 * @throws IOException on a read failure or at the end of the stream
	 */
	public String readAnswer(long requestId) throws IOException {
		String header;
		while ((header = readHeader()) != null) {
			if (JsonPath.<Number>read(header, "$.replyTo").longValue() == requestId) {
				return header;
			}
		}
		throw new IOException("The master closed the connection before answering request " + requestId);
	}

	@Override
	public void close() throws IOException {
		this.channel.close();
	}

}
