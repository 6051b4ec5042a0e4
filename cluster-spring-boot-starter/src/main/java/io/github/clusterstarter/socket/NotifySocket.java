package io.github.clusterstarter.socket;

import java.nio.charset.StandardCharsets;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

import org.springframework.util.Assert;

/**
 * The datagram socket of systemd's notify protocol, named by {@code NOTIFY_SOCKET}: a
 * file system path, or an abstract address written with a leading {@code @}. Each
 * message is one datagram of {@code KEY=VALUE} lines. Sending never blocks: a message
 * that the service manager has no room for is reported as not sent.
 */
public final class NotifySocket implements AutoCloseable {

	private static final int SUN_PATH_SIZE = 108;

	private static final int MSG_DONTWAIT = 0x40;

	private final String address;

	private final Memory socketAddress;

	private final int socketAddressLength;

	private final int fd;

	private NotifySocket(String address, Memory socketAddress, int socketAddressLength, int fd) {
		this.address = address;
		this.socketAddress = socketAddress;
		this.socketAddressLength = socketAddressLength;
		this.fd = fd;
	}

	/**
	 * Open a socket that sends to the given address.
	 * @param address the value of {@code NOTIFY_SOCKET}
	 * @return the socket
	 * @throws IllegalArgumentException if the address is not a path or an abstract address
	 * that fits a Unix socket address
	 * @throws IllegalStateException if no socket can be created
	 */
	public static NotifySocket open(String address) {
		Assert.isTrue(address.startsWith("/") || address.startsWith("@"),
				() -> "NOTIFY_SOCKET must be an absolute path or start with '@', but is '" + address + "'");
		byte[] path = address.getBytes(StandardCharsets.UTF_8);
		Assert.isTrue(path.length < SUN_PATH_SIZE, () -> "NOTIFY_SOCKET is too long: " + address);
		// struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }
		Memory socketAddress = new Memory(2 + SUN_PATH_SIZE);
		socketAddress.clear();
		socketAddress.setShort(0, (short) LibC.AF_UNIX);
		socketAddress.write(2, path, 0, path.length);
		int length = 2 + path.length;
		if (path[0] == '@') {
			// An abstract address starts with a NUL byte and has no terminating one
			socketAddress.setByte(2, (byte) 0);
		}
		else {
			length++;
		}
		try {
			int fd = LibC.get().socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
			return new NotifySocket(address, socketAddress, length, fd);
		}
		catch (LastErrorException ex) {
			throw new IllegalStateException("Cannot create a socket for NOTIFY_SOCKET " + address, ex);
		}
	}

	/**
	 * Send a message.
	 * @param message the message, {@code KEY=VALUE} lines
	 * @throws IllegalStateException if it cannot be sent, with the reason
	 */
	public void send(String message) {
		byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
		try {
			LibC.get().sendto(this.fd, bytes, bytes.length, MSG_DONTWAIT, this.socketAddress, this.socketAddressLength);
		}
		catch (LastErrorException ex) {
			throw new IllegalStateException("Cannot notify %s: %s (errno %d)".formatted(this.address,
					LibC.get().strerror(ex.getErrorCode()), ex.getErrorCode()), ex);
		}
	}

	@Override
	public void close() {
		LibC.closeQuietly(this.fd);
	}

}
