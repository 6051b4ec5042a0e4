package io.github.clusterstarter.socket;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A TCP socket in the listening state, created with plain system calls so that its file
 * descriptor can be placed on standard input and inherited by child processes, which
 * find it with {@link System#inheritedChannel()}.
 */
public final class ListeningSocket implements AutoCloseable {

	// Classic BPF: drop a packet whose TCP flags, of SYN and ACK, are SYN alone; pass the rest
	private static final short BPF_LD_B_ABS = 0x30;

	private static final short BPF_ALU_AND_K = 0x54;

	private static final short BPF_JMP_JEQ_K = 0x15;

	private static final short BPF_RET_K = 0x06;

	private static final int TCP_SYN = 0x02;

	private static final int TCP_ACK = 0x10;

	private static final int DROP = 0;

	// The whole packet: a filter's result is how many bytes of it to keep
	private static final int ACCEPT = 0xFFFFFFFF;

	private static final int SOCKADDR_IN_SIZE = 16;

	private static final int SOCKADDR_IN6_SIZE = 28;

	private static final int SOCKADDR_STORAGE_SIZE = 128;

	private static final int TCP_INFO_SIZE = 104;

	private static final byte[] IPV4_ANY = new byte[4];

	private static final byte[] IPV6_ANY = new byte[16];

	private final InetAddress address;

	private final int port;

	private final boolean ipv6;

	private final boolean adopted;

	private int fd;

	private boolean closed;

	private ListeningSocket(int fd, InetAddress address, int port, boolean ipv6, boolean adopted) {
		this.fd = fd;
		this.address = address;
		this.port = port;
		this.ipv6 = ipv6;
		this.adopted = adopted;
	}

	/**
	 * Create a socket bound to the given host and port and make it listen.
	 * @param host the address or host name to bind to, or {@code null} or empty to
	 * listen on all IPv6 and IPv4 addresses
	 * @param port the port, {@code 0} to let the kernel pick a free one
	 * @param backlog the maximum number of connections waiting to be accepted
	 * @return the listening socket
	 * @throws SocketBindException if the socket cannot be created, bound or put in the
	 * listening state
	 */
	public static ListeningSocket bind(@Nullable String host, int port, int backlog) {
		Assert.isTrue(port >= 0 && port <= 65535, () -> "Port must be between 0 and 65535, but was " + port);
		Assert.isTrue(backlog >= 1, () -> "Backlog must be at least 1, but was " + backlog);
		if (host == null || host.isEmpty()) {
			return bindToAllAddresses(port, backlog);
		}
		InetAddress address = resolve(host, port);
		if (address instanceof Inet6Address ipv6) {
			return open(host, LibC.AF_INET6, ipv6.getAddress(), ipv6.getScopeId(), port, backlog);
		}
		return open(host, LibC.AF_INET, address.getAddress(), 0, port, backlog);
	}

	/**
	 * Take over a listening socket that another process created and passed on, as systemd
	 * does in socket activation. Its address and port are the ones it is bound to.
	 * @param fd the file descriptor
	 * @return the listening socket
	 * @throws IllegalStateException if the descriptor is not a TCP socket in the listening
	 * state
	 */
	public static ListeningSocket adopt(int fd) {
		return takeOver(fd, true);
	}

	/**
	 * Take over a listening socket inherited from a process that is about to close it,
	 * such as the master this one replaces: unlike an {@link #adopt(int) adopted} one, it
	 * is this process's alone once that process is gone.
	 * @param fd the file descriptor
	 * @return the listening socket
	 * @throws IllegalStateException if the descriptor is not a TCP socket in the listening
	 * state
	 */
	public static ListeningSocket inherit(int fd) {
		return takeOver(fd, false);
	}

	private static ListeningSocket takeOver(int fd, boolean adopted) {
		LibC libc = LibC.get();
		try {
			int domain = socketOption(libc, fd, LibC.SO_DOMAIN);
			if ((domain != LibC.AF_INET && domain != LibC.AF_INET6)
					|| socketOption(libc, fd, LibC.SO_TYPE) != LibC.SOCK_STREAM
					|| socketOption(libc, fd, LibC.SO_ACCEPTCONN) != 1) {
				throw new IllegalStateException("File descriptor %d is not a listening TCP socket".formatted(fd));
			}
			return boundSocket(libc, fd, adopted);
		}
		catch (LastErrorException ex) {
			throw new IllegalStateException("File descriptor %d is not a listening TCP socket: %s".formatted(fd,
					libc.strerror(ex.getErrorCode())), ex);
		}
	}

	private static int socketOption(LibC libc, int fd, int name) {
		IntByReference value = new IntByReference();
		libc.getsockopt(fd, LibC.SOL_SOCKET, name, value.getPointer(), new IntByReference(Integer.BYTES));
		return value.getValue();
	}

	private static ListeningSocket bindToAllAddresses(int port, int backlog) {
		try {
			return open(null, LibC.AF_INET6, IPV6_ANY, 0, port, backlog);
		}
		catch (SocketBindException ex) {
			if (ex.getErrno() != LibC.EAFNOSUPPORT) {
				throw ex;
			}
			// IPv6 is disabled in this kernel
			return open(null, LibC.AF_INET, IPV4_ANY, 0, port, backlog);
		}
	}

	private static InetAddress resolve(String host, int port) {
		try {
			return InetAddress.getByName(host);
		}
		catch (UnknownHostException ex) {
			throw new SocketBindException(host, port, 0, SocketBindException.Reason.UNKNOWN_HOST,
					"Could not bind %s:%d: unknown host".formatted(host, port), ex);
		}
	}

	private static ListeningSocket open(@Nullable String host, int family, byte[] address, int scopeId, int port,
			int backlog) {
		LibC libc = LibC.get();
		int fd;
		try {
			fd = libc.socket(family, LibC.SOCK_STREAM, 0);
		}
		catch (LastErrorException ex) {
			throw bindFailure(host, family, port, ex);
		}
		boolean listening = false;
		try {
			// Lets a restarted master bind while connections of its predecessor linger
			setOption(libc, fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, 1);
			if (family == LibC.AF_INET6) {
				// As the JDK does: '::' takes IPv4 too, whatever net.ipv6.bindv6only says
				setOption(libc, fd, LibC.IPPROTO_IPV6, LibC.IPV6_V6ONLY, 0);
			}
			Memory socketAddress = socketAddress(family, address, scopeId, port);
			libc.bind(fd, socketAddress, (int) socketAddress.size());
			libc.listen(fd, backlog);
			ListeningSocket socket = boundSocket(libc, fd, false);
			listening = true;
			return socket;
		}
		catch (LastErrorException ex) {
			throw bindFailure(host, family, port, ex);
		}
		finally {
			if (!listening) {
				LibC.closeQuietly(fd);
			}
		}
	}

	private static void setOption(LibC libc, int fd, int level, int name, int value) {
		libc.setsockopt(fd, level, name, new IntByReference(value), Integer.BYTES);
	}

	private static Memory socketAddress(int family, byte[] address, int scopeId, int port) {
		Memory memory = new Memory((family == LibC.AF_INET6) ? SOCKADDR_IN6_SIZE : SOCKADDR_IN_SIZE);
		memory.clear();
		memory.setShort(0, (short) family);
		memory.setByte(2, (byte) (port >>> 8));
		memory.setByte(3, (byte) port);
		if (family == LibC.AF_INET6) {
			memory.write(8, address, 0, address.length);
			memory.setInt(24, scopeId);
		}
		else {
			memory.write(4, address, 0, address.length);
		}
		return memory;
	}

	private static ListeningSocket boundSocket(LibC libc, int fd, boolean adopted) {
		Memory socketAddress = new Memory(SOCKADDR_STORAGE_SIZE);
		socketAddress.clear();
		libc.getsockname(fd, socketAddress, new IntByReference(SOCKADDR_STORAGE_SIZE));
		boolean ipv6 = socketAddress.getShort(0) == LibC.AF_INET6;
		int port = ((socketAddress.getByte(2) & 0xff) << 8) | (socketAddress.getByte(3) & 0xff);
		try {
			InetAddress address = ipv6 ? ipv6Address(socketAddress.getByteArray(8, 16), socketAddress.getInt(24))
					: InetAddress.getByAddress(socketAddress.getByteArray(4, 4));
			return new ListeningSocket(fd, address, port, ipv6, adopted);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("Unexpected address length", ex);
		}
	}

	private static InetAddress ipv6Address(byte[] address, int scopeId) throws UnknownHostException {
		// A scope of 0 would still be printed as '%0'
		return (scopeId != 0) ? Inet6Address.getByAddress(null, address, scopeId) : InetAddress.getByAddress(address);
	}

	private static SocketBindException bindFailure(@Nullable String host, int family, int port,
			LastErrorException ex) {
		int errno = ex.getErrorCode();
		String message = "Could not bind %s:%d: %s (errno %d)".formatted(describe(host, family), port,
				LibC.get().strerror(errno), errno);
		return new SocketBindException(host, port, errno, SocketBindException.Reason.forErrno(errno), message, ex);
	}

	private static String describe(@Nullable String host, int family) {
		if (host == null) {
			return (family == LibC.AF_INET6) ? "[::]" : "0.0.0.0";
		}
		return (host.indexOf(':') >= 0 && !host.startsWith("[")) ? "[" + host + "]" : host;
	}

	/**
	 * Return the socket's file descriptor.
	 * @return the file descriptor, {@code 0} after {@link #moveToStandardInput()}, or
	 * {@code -1} once closed
	 */
	public synchronized int fd() {
		return this.closed ? -1 : this.fd;
	}

	/**
	 * Return the port the socket listens on, the one the kernel picked if {@code 0} was
	 * asked for.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return the address the socket is bound to as a literal, for example
	 * {@code 127.0.0.1} or {@code 0:0:0:0:0:0:0:0}.
	 * @return the bound address
	 */
	public String host() {
		return this.address.getHostAddress();
	}

	/**
	 * Return whether this is an IPv6 socket. An IPv6 socket bound to all addresses also
	 * accepts IPv4 connections.
	 * @return whether the socket is IPv6
	 */
	public boolean isIpv6() {
		return this.ipv6;
	}

	/**
	 * Return whether this socket was created by another process and {@link #adopt(int)
	 * adopted}: that process may hold it open after this one closes it.
	 * @return whether the socket was adopted
	 */
	public boolean isAdopted() {
		return this.adopted;
	}

	/**
	 * Move the socket to file descriptor 0, replacing standard input, so that child
	 * processes started with {@link ProcessBuilder.Redirect#INHERIT inherited} input
	 * receive it. {@link System#in} cannot be read afterwards.
	 * @throws IllegalStateException if the socket is closed or cannot be moved
	 */
	public synchronized void moveToStandardInput() {
		Assert.state(!this.closed, "Socket is closed");
		if (this.fd == 0) {
			// socket() returned 0 because standard input was closed: already in place
			return;
		}
		LibC libc = LibC.get();
		try {
			libc.dup2(this.fd, 0);
		}
		catch (LastErrorException ex) {
			throw new IllegalStateException("Could not move the listening socket to standard input", ex);
		}
		LibC.closeQuietly(this.fd);
		this.fd = 0;
	}

	/**
	 * Stop the kernel from starting new connections on this socket, in every process that
	 * shares it, while the connections it already completed stay queued for
	 * {@code accept}. A socket filter that drops every {@code SYN} does it: a client's
	 * {@code SYN} goes unanswered and is retried, and once the socket is closed the retry
	 * is refused. Every other packet passes, so that a handshake already answered with a
	 * {@code SYN-ACK} completes into the queue instead of leaving a client that believes
	 * it is connected. Closing a socket resets the connections still queued, so a socket
	 * that stops admitting can be drained first and closed without resetting any.
	 * @throws IllegalStateException if the filter cannot be attached
	 */
	public synchronized void stopAdmitting() {
		Assert.state(!this.closed, "Socket is closed");
		// A TCP socket's filter sees the packet from its TCP header on (byte 13: the flags)
		short[] codes = { BPF_LD_B_ABS, BPF_ALU_AND_K, BPF_JMP_JEQ_K, BPF_RET_K, BPF_RET_K };
		int[] jumpsIfTrue = { 0, 0, 0, 0, 0 };
		int[] jumpsIfFalse = { 0, 0, 1, 0, 0 };
		int[] constants = { 13, TCP_SYN | TCP_ACK, TCP_SYN, DROP, ACCEPT };
		// struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }
		Memory filter = new Memory(8L * codes.length);
		for (int i = 0; i < codes.length; i++) {
			filter.setShort(8L * i, codes[i]);
			filter.setByte(8L * i + 2, (byte) jumpsIfTrue[i]);
			filter.setByte(8L * i + 3, (byte) jumpsIfFalse[i]);
			filter.setInt(8L * i + 4, constants[i]);
		}
		// struct sock_fprog { u16 len; struct sock_filter *filter; }
		Memory program = new Memory(16);
		program.clear();
		program.setShort(0, (short) codes.length);
		program.setPointer(8, filter);
		try {
			LibC.get().setsockopt(this.fd, LibC.SOL_SOCKET, LibC.SO_ATTACH_FILTER, program, (int) program.size());
		}
		catch (LastErrorException ex) {
			throw new IllegalStateException("Could not stop the listening socket from admitting connections", ex);
		}
	}

	/**
	 * Make the kernel hand a connection to {@code accept} only once its first bytes have
	 * arrived, or once the given time has passed without any ({@code TCP_DEFER_ACCEPT},
	 * nginx's {@code listen ... deferred}): a worker is then woken once for a connection
	 * it can read at once, instead of once to accept it and once more when its request
	 * arrives. The client's {@code connect} completes as before.
	 * @param timeout how long a connection that sends nothing waits before it is handed
	 * over anyway, in whole seconds (the kernel rounds it up to its retransmission
	 * steps), or zero to hand over every connection as soon as its handshake completes
	 * @return whether the kernel took the option
	 */
	public synchronized boolean deferAccept(Duration timeout) {
		Assert.state(!this.closed, "Socket is closed");
		Assert.isTrue(!timeout.isNegative(), "Timeout must not be negative");
		try {
			setOption(LibC.get(), this.fd, LibC.IPPROTO_TCP, LibC.TCP_DEFER_ACCEPT,
					(int) Math.min(timeout.toSeconds(), Integer.MAX_VALUE));
			return true;
		}
		catch (LastErrorException ex) {
			return false;
		}
	}

	/**
	 * Return how many connections the kernel completed on this socket that no process has
	 * accepted yet.
	 * @return the length of the accept queue, 0 if it cannot be read
	 */
	public synchronized int queuedConnections() {
		if (this.closed) {
			return 0;
		}
		// struct tcp_info: for a listening socket, tcpi_unacked (at offset 24) is the accept queue
		Memory info = new Memory(TCP_INFO_SIZE);
		info.clear();
		try {
			LibC.get().getsockopt(this.fd, LibC.IPPROTO_TCP, LibC.TCP_INFO, info, new IntByReference(TCP_INFO_SIZE));
			return info.getInt(24);
		}
		catch (LastErrorException ex) {
			return 0;
		}
	}

	/**
	 * Close the socket. Once every process that inherited it has closed it too, the port
	 * is free again. Standard input is left open on {@code /dev/null} if the socket was
	 * moved there. Does nothing if already closed.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.fd == 0 && StandardStreams.replaceInputWithDevNull()) {
			return;
		}
		LibC.closeQuietly(this.fd);
	}

	@Override
	public String toString() {
		String host = this.ipv6 ? "[" + host() + "]" : host();
		return "ListeningSocket[%s:%d]".formatted(host, this.port);
	}

}
