package io.github.clusterstarter.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client that opens a new connection for every request, so that each
 * request goes through the kernel's accept queue of the shared socket again.
 */
public final class RawHttp {

	private RawHttp() {
	}

	/**
	 * Send {@code GET path} to 127.0.0.1 with {@code Connection: close}.
	 * @param port the port
	 * @param path the path
	 * @return the response
	 * @throws IOException on a network failure
	 */
	public static Response get(int port, String path) throws IOException {
		return send(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
	}

	/**
	 * Send {@code POST path} with a JSON body to 127.0.0.1 with {@code Connection: close}.
	 * @param port the port
	 * @param path the path
	 * @param json the body
	 * @return the response
	 * @throws IOException on a network failure
	 */
	public static Response post(int port, String path, String json) throws IOException {
		return send(port, "POST", path, json);
	}

	/**
	 * Send {@code POST path} with a JSON body and HTTP Basic credentials to 127.0.0.1 with
	 * {@code Connection: close}.
	 * @param port the port
	 * @param path the path
	 * @param json the body
	 * @param user the user name
	 * @param password the password
	 * @return the response
	 * @throws IOException on a network failure
	 */
	public static Response post(int port, String path, String json, String user, String password)
			throws IOException {
		String credentials = Base64.getEncoder()
			.encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		int length = json.getBytes(StandardCharsets.UTF_8).length;
		return send(port, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
				+ "Authorization: Basic " + credentials + "\r\nContent-Type: application/json\r\nContent-Length: "
				+ length + "\r\n\r\n" + json);
	}

	/**
	 * Send a request with a JSON body to 127.0.0.1 with {@code Connection: close}.
	 * @param port the port
	 * @param method the method
	 * @param path the path
	 * @param json the body
	 * @return the response
	 * @throws IOException on a network failure
	 */
	public static Response send(int port, String method, String path, String json) throws IOException {
		return send(port, method, path, "application/json", json);
	}

	/**
	 * Send a request with a body to 127.0.0.1 with {@code Connection: close}.
	 * @param port the port
	 * @param method the method
	 * @param path the path
	 * @param contentType the content type of the body
	 * @param body the body
	 * @return the response
	 * @throws IOException on a network failure
	 */
	public static Response send(int port, String method, String path, String contentType, String body)
			throws IOException {
		int length = body.getBytes(StandardCharsets.UTF_8).length;
		return send(port, method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
				+ "Content-Type: " + contentType + "\r\nContent-Length: " + length + "\r\n\r\n" + body);
	}

	/**
	 * Send a request with extra header lines (such as {@code Cookie: ...}) and a body,
	 * which may be empty, to 127.0.0.1 with {@code Connection: close}.
	 * @param port the port
	 * @param method the method
	 * @param path the path
	 * @param headers header lines, {@code "Name: value"}
	 * @param contentType the content type of the body
	 * @param body the body
	 * @return the response
	 * @throws IOException on a network failure
	 */
	public static Response send(int port, String method, String path, List<String> headers, String contentType,
			String body) throws IOException {
		int length = body.getBytes(StandardCharsets.UTF_8).length;
		StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				+ "Connection: close\r\n");
		headers.forEach((header) -> request.append(header).append("\r\n"));
		if (!body.isEmpty()) {
			request.append("Content-Type: ").append(contentType).append("\r\n");
		}
		request.append("Content-Length: ").append(length).append("\r\n\r\n").append(body);
		return send(port, request.toString());
	}

	private static Response send(int port, String request) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
			socket.setSoTimeout(10000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			in.transferTo(received);
			return Response.parse(received.toString(StandardCharsets.UTF_8));
		}
	}

	/**
	 * An HTTP response.
	 *
	 * @param status the status code
	 * @param headers the raw header block
	 * @param body the body, with chunked encoding removed
	 */
	public record Response(int status, String headers, String body) {

		/**
		 * Return the values of a header, in order.
		 * @param name the header's name, in any case
		 * @return its values
		 */
		public List<String> headerValues(String name) {
			String prefix = name.toLowerCase(Locale.ROOT) + ":";
			return this.headers.lines()
				.filter((line) -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
				.map((line) -> line.substring(prefix.length()).trim())
				.toList();
		}

		/**
		 * Return the cookies the response sets, as a client sends them back.
		 * @return each {@code name=value}, without the attributes
		 */
		public List<String> cookies() {
			return headerValues("Set-Cookie").stream().map((cookie) -> cookie.split(";", 2)[0]).toList();
		}

		static Response parse(String raw) throws IOException {
			int end = raw.indexOf("\r\n\r\n");
			if (!raw.startsWith("HTTP/1.1 ") || end < 0) {
				throw new IOException("Not an HTTP response: '" + raw + "'");
			}
			String headers = raw.substring(0, end);
			int status = Integer.parseInt(raw.substring(9, 12));
			String body = raw.substring(end + 4);
			if (headers.toLowerCase().contains("transfer-encoding: chunked")) {
				body = dechunk(body);
			}
			return new Response(status, headers, body);
		}

		private static String dechunk(String chunked) {
			StringBuilder body = new StringBuilder();
			int position = 0;
			while (true) {
				int lineEnd = chunked.indexOf("\r\n", position);
				int size = Integer.parseInt(chunked.substring(position, lineEnd).trim(), 16);
				if (size == 0) {
					return body.toString();
				}
				body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
				position = lineEnd + 2 + size + 2;
			}
		}

	}

}
