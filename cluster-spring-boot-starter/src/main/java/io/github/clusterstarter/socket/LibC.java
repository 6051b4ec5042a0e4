package io.github.clusterstarter.socket;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The libc functions the cluster needs, called through JNA. Constants are Linux's.
 */
interface LibC extends Library {

	int AF_INET = 2;

	int AF_INET6 = 10;

	int SOCK_STREAM = 1;

	int SOL_SOCKET = 1;

	int SO_REUSEADDR = 2;

	int IPPROTO_IPV6 = 41;

	int IPV6_V6ONLY = 26;

	int EACCES = 13;

	int EAFNOSUPPORT = 97;

	int EADDRINUSE = 98;

	int EADDRNOTAVAIL = 99;

	int socket(int domain, int type, int protocol) throws LastErrorException;

	int setsockopt(int fd, int level, int option, Pointer value, int length) throws LastErrorException;

	int bind(int fd, Pointer address, int length) throws LastErrorException;

	int listen(int fd, int backlog) throws LastErrorException;

	int getsockname(int fd, Pointer address, IntByReference length) throws LastErrorException;

	int dup(int fd) throws LastErrorException;

	int dup2(int fd, int target) throws LastErrorException;

	int close(int fd) throws LastErrorException;

	String strerror(int errno);

	/**
	 * Return libc, loading it on first use.
	 * @return libc
	 */
	static LibC get() {
		return Holder.INSTANCE;
	}

	/**
	 * Loads libc lazily, so that merely referring to this interface costs nothing.
	 */
	final class Holder {

		static final LibC INSTANCE = Native.load("c", LibC.class);

		private Holder() {
		}

	}

}
