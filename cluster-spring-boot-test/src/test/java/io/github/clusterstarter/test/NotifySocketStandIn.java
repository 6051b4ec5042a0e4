package io.github.clusterstarter.test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import static org.awaitility.Awaitility.await;

/**
 * A stand-in for systemd's notification socket: a Unix datagram socket bound to a path,
 * which records every message it receives with the time it arrived. Java has no Unix
 * datagram channel, so it is made with JNA.
 */
public final class NotifySocketStandIn implements AutoCloseable {

	private static final int AF_UNIX = 1;

	private static final int SOCK_DGRAM = 2;

	private static final int SOL_SOCKET = 1;

	private static final int SO_RCVTIMEO = 20;

	private final CLib libc = Native.load("c", CLib.class);

	private final Path path;

	private final int fd;

	private final List<Message> messages = new CopyOnWriteArrayList<>();

	private final Thread receiver;

	private volatile boolean closed;

	/**
	 * Bind a socket to the given path and start receiving.
	 * @param path the path, shorter than 108 bytes
	 */
	public NotifySocketStandIn(Path path) {
		this.path = path;
		this.fd = this.libc.socket(AF_UNIX, SOCK_DGRAM, 0);
		byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
		Memory address = new Memory(110);
		address.clear();
		address.setShort(0, (short) AF_UNIX);
		address.write(2, bytes, 0, bytes.length);
		this.libc.bind(this.fd, address, 2 + bytes.length + 1);
		// struct timeval of 200 ms, so that the receiving thread sees close()
		Memory timeout = new Memory(16);
		timeout.setLong(0, 0);
		timeout.setLong(8, 200_000);
		this.libc.setsockopt(this.fd, SOL_SOCKET, SO_RCVTIMEO, timeout, 16);
		this.receiver = new Thread(this::receive, "notify-socket-stand-in");
		this.receiver.setDaemon(true);
		this.receiver.start();
	}

	private void receive() {
		byte[] buffer = new byte[65536];
		while (!this.closed) {
			try {
				int length = this.libc.recv(this.fd, buffer, buffer.length, 0);
				this.messages.add(new Message(new String(buffer, 0, length, StandardCharsets.UTF_8), System.nanoTime()));
			}
			catch (LastErrorException ex) {
				// The receive timeout: look at closed again
			}
		}
	}

	/**
	 * Return the path that {@code NOTIFY_SOCKET} names.
	 * @return the path
	 */
	public String address() {
		return this.path.toString();
	}

	/**
	 * Return every message received so far.
	 * @return the messages, oldest first
	 */
	public List<Message> messages() {
		return List.copyOf(this.messages);
	}

	/**
	 * Wait for a message, received after the given one, that the condition accepts.
	 * @param after the message to look after, or {@code null} to look at every one
	 * @param condition the condition
	 * @param timeout how long to wait
	 * @return the message
	 */
	public Message awaitMessage(Message after, Predicate<Message> condition, Duration timeout) {
		return await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> {
			List<Message> messages = messages();
			int from = (after != null) ? messages.indexOf(after) + 1 : 0;
			return messages.subList(from, messages.size()).stream().filter(condition).findFirst();
		}, Optional::isPresent).orElseThrow();
	}

	@Override
	public void close() throws InterruptedException {
		this.closed = true;
		this.receiver.join(2000);
		this.libc.close(this.fd);
	}

	/**
	 * One datagram.
	 *
	 * @param text the message
	 * @param nanoTime when it arrived, from {@link System#nanoTime()}
	 */
	public record Message(String text, long nanoTime) {

		/**
		 * Return whether the message has the given line.
		 * @param line a line such as {@code READY=1}
		 * @return whether it has it
		 */
		public boolean has(String line) {
			return this.text.lines().anyMatch(line::equals);
		}

	}

	interface CLib extends Library {

		int socket(int domain, int type, int protocol) throws LastErrorException;

		int bind(int fd, Pointer address, int length) throws LastErrorException;

		int setsockopt(int fd, int level, int name, Pointer value, int length) throws LastErrorException;

		int recv(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

		int close(int fd) throws LastErrorException;

	}

}
