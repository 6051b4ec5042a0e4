package io.github.clusterstarter.socket;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The few libc functions the cluster needs that the JDK does not expose. Methods that
 * declare {@link LastErrorException} throw it, carrying {@code errno}, when the call fails.
 * JNA decides that from {@code errno} alone, so only functions that leave it untouched on
 * success may declare it. Constants are the Linux values, which are the same on x86_64
 * and aarch64.
 */
interface LibC extends Library {

	int AF_UNIX = 1;

	int AF_INET = 2;

	int AF_INET6 = 10;

	int SOCK_STREAM = 1;

	int SOCK_DGRAM = 2;

	int SOCK_CLOEXEC = 0x80000;

	int SOL_SOCKET = 1;

	int SO_REUSEADDR = 2;

	int SO_TYPE = 3;

	int SO_ACCEPTCONN = 30;

	int SO_DOMAIN = 39;

	int SO_ATTACH_FILTER = 26;

	int IPPROTO_TCP = 6;

	int TCP_INFO = 11;

	int TCP_DEFER_ACCEPT = 9;

	int IPPROTO_IPV6 = 41;

	int IPV6_V6ONLY = 26;

	int O_RDWR = 2;

	int SIGQUIT = 3;

	int WNOHANG = 1;

	int ESRCH = 3;

	int EACCES = 13;

	int EINVAL = 22;

	int PRIO_PROCESS = 0;

	int EAFNOSUPPORT = 97;

	int EADDRINUSE = 98;

	int EADDRNOTAVAIL = 99;

	/**
	 * Return the library, loading it on first use.
	 * @return the library
	 */
	static LibC get() {
		return Holder.INSTANCE;
	}

	/**
	 * Close a file descriptor, ignoring errors: Linux releases the descriptor even when
	 * {@code close} reports one.
	 * @param fd the file descriptor
	 */
	static void closeQuietly(int fd) {
		try {
			get().close(fd);
		}
		catch (LastErrorException ex) {
			// Nothing left to release
		}
	}

	int socket(int domain, int type, int protocol) throws LastErrorException;

	int setsockopt(int fd, int level, int name, IntByReference value, int length) throws LastErrorException;

	int setsockopt(int fd, int level, int name, Pointer value, int length) throws LastErrorException;

	int getsockopt(int fd, int level, int name, Pointer value, IntByReference length) throws LastErrorException;

	int bind(int fd, Pointer address, int length) throws LastErrorException;

	int listen(int fd, int backlog) throws LastErrorException;

	int getsockname(int fd, Pointer address, IntByReference length) throws LastErrorException;

	int sendto(int fd, byte[] buffer, long length, int flags, Pointer address, int addressLength)
			throws LastErrorException;

	int waitpid(int pid, IntByReference status, int options) throws LastErrorException;

	// Variadic in C, but the mode argument is only read with O_CREAT
	int open(String path, int flags) throws LastErrorException;

	int dup(int fd) throws LastErrorException;

	int kill(int pid, int signal) throws LastErrorException;

	int dup2(int fd, int target) throws LastErrorException;

	int close(int fd) throws LastErrorException;

	String strerror(int errno);

	int unsetenv(String name) throws LastErrorException;

	// Linux keeps the nice value per thread: with PRIO_PROCESS, who is a thread id, 0 the caller
	int getpriority(int which, int who) throws LastErrorException;

	int setpriority(int which, int who, int niceness) throws LastErrorException;

	// Per thread too, with pid a thread id, 0 the caller; the mask is a cpu_set_t
	int sched_getaffinity(int pid, long maskSize, long[] mask) throws LastErrorException;

	int sched_setaffinity(int pid, long maskSize, long[] mask) throws LastErrorException;

	/**
	 * Give the free memory at the top of the malloc heaps back to the system (glibc only).
	 * @param pad the bytes to leave untrimmed
	 * @return 1 if memory was released
	 */
	int malloc_trim(long pad);

	/**
	 * Defers loading until first use: loading JNA unpacks its native part into a
	 * temporary directory.
	 */
	final class Holder {

		static final LibC INSTANCE = Native.load("c", LibC.class);

		private Holder() {
		}

	}

}
