package io.github.clusterstarter.socket;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import org.jspecify.annotations.Nullable;

/**
 * A TCP listening socket created with libc calls rather than through the JDK, so that it
 * is a plain file descriptor that can be moved onto fd 0 and inherited by the workers.
 */
public final class ListeningSocket implements AutoCloseable {

	private static final int SOCKADDR_IN_SIZE = 16;

	private static final int SOCKADDR_IN6_SIZE = 28;

	private int fd;

	private final String host;

	private final int port;

	private final boolean ipv6;

	private boolean closed;

	private ListeningSocket(int fd, String host, int port, boolean ipv6) {
		this.fd = fd;
		this.host = host;
		this.port = port;
		this.ipv6 = ipv6;
	}

	/**
	 * Bind and listen.
	 * @param host the address or host name to bind, or {@code null} or empty for every
	 * address (IPv6 and IPv4 where the host has IPv6, IPv4 otherwise)
	 * @param port the port, 0 for one the kernel picks
	 * @param backlog the length of the queue of connections not yet accepted
	 * @return the listening socket
	 * @throws SocketBindException if the socket cannot be bound
	 */
	public static ListeningSocket bind(@Nullable String host, int port, int backlog) {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("Port must be between 0 and 65535, not " + port);
		}
		if (backlog < 1) {
			throw new IllegalArgumentException("Backlog must be 1 or more, not " + backlog);
		}
		if (host == null || host.isBlank()) {
			try {
				return bind(null, new byte[16], port, backlog);
			}
			catch (SocketBindException ex) {
				if (ex.getErrno() != LibC.EAFNOSUPPORT) {
					throw ex;
				}
				return bind(null, new byte[4], port, backlog);
			}
		}
		InetAddress address;
		try {
			address = InetAddress.getByName(host.trim());
		}
		catch (UnknownHostException ex) {
			throw new SocketBindException(host, port, 0, SocketBindException.Reason.UNKNOWN_HOST,
					"unknown host '" + host + "'", ex);
		}
		return bind(host, address.getAddress(), port, backlog);
	}

	private static ListeningSocket bind(@Nullable String host, byte[] address, int port, int backlog) {
		boolean ipv6 = address.length == 16;
		LibC libc = LibC.get();
		int fd;
		try {
			fd = libc.socket(ipv6 ? LibC.AF_INET6 : LibC.AF_INET, LibC.SOCK_STREAM, 0);
		}
		catch (LastErrorException ex) {
			throw failure(host, port, ex);
		}
		try {
			setOption(fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, 1);
			if (ipv6 && host == null) {
				// Also accept IPv4 connections, as the JDK's wildcard sockets do
				setOption(fd, LibC.IPPROTO_IPV6, LibC.IPV6_V6ONLY, 0);
			}
			Memory sockaddr = ipv6 ? sockaddrIn6(address, port) : sockaddrIn(address, port);
			libc.bind(fd, sockaddr, (int) sockaddr.size());
			libc.listen(fd, backlog);
			IntByReference length = new IntByReference((int) sockaddr.size());
			libc.getsockname(fd, sockaddr, length);
			int boundPort = Short.toUnsignedInt(Short.reverseBytes(sockaddr.getShort(2)));
			String boundHost = InetAddress.getByAddress(address).getHostAddress();
			return new ListeningSocket(fd, boundHost, boundPort, ipv6);
		}
		catch (LastErrorException ex) {
			closeQuietly(fd);
			throw failure(host, port, ex);
		}
		catch (UnknownHostException ex) {
			closeQuietly(fd);
			throw new IllegalStateException(ex);
		}
	}

	private static void setOption(int fd, int level, int option, int value) {
		Memory memory = new Memory(4);
		memory.setInt(0, value);
		LibC.get().setsockopt(fd, level, option, memory, 4);
	}

	private static Memory sockaddrIn(byte[] address, int port) {
		Memory sockaddr = new Memory(SOCKADDR_IN_SIZE);
		sockaddr.clear();
		sockaddr.setShort(0, (short) LibC.AF_INET);
		sockaddr.setShort(2, Short.reverseBytes((short) port));
		sockaddr.write(4, address, 0, 4);
		return sockaddr;
	}

	private static Memory sockaddrIn6(byte[] address, int port) {
		Memory sockaddr = new Memory(SOCKADDR_IN6_SIZE);
		sockaddr.clear();
		sockaddr.setShort(0, (short) LibC.AF_INET6);
		sockaddr.setShort(2, Short.reverseBytes((short) port));
		sockaddr.write(8, address, 0, 16);
		return sockaddr;
	}

	private static SocketBindException failure(@Nullable String host, int port, LastErrorException ex) {
		int errno = ex.getErrorCode();
		String detail = LibC.get().strerror(errno) + " (errno " + errno + ")";
		return new SocketBindException(host, port, errno, SocketBindException.Reason.of(errno), detail, ex);
	}

	private static void closeQuietly(int fd) {
		try {
			LibC.get().close(fd);
		}
		catch (LastErrorException ex) {
			// Already failing; the original error matters
		}
	}

	/**
	 * Make this socket the process's standard input (fd 0), where workers started with an
	 * inherited standard input find it.
	 */
	public void moveToStandardInput() {
		if (this.fd == 0) {
			return;
		}
		LibC libc = LibC.get();
		libc.dup2(this.fd, 0);
		libc.close(this.fd);
		this.fd = 0;
	}

	/**
	 * Return the file descriptor.
	 * @return the fd
	 */
	public int fd() {
		return this.fd;
	}

	/**
	 * Return the address bound, as a literal.
	 * @return the address
	 */
	public String host() {
		return this.host;
	}

	/**
	 * Return the port bound.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return whether the socket is an IPv6 socket.
	 * @return whether it is IPv6
	 */
	public boolean isIpv6() {
		return this.ipv6;
	}

	@Override
	public void close() {
		if (!this.closed) {
			this.closed = true;
			closeQuietly(this.fd);
		}
	}

}
