package io.github.clusterstarter.session;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;

/**
 * Locks sessions between threads and between worker processes, by stripes: a session id
 * maps to one of a fixed number of stripes, each a byte of one lock file that
 * {@code fcntl} locks between processes and a {@link ReentrantLock} between the threads
 * of this one. The thread locks are shared by every instance in the JVM: the JDK refuses
 * two overlapping locks of one file in one process, even through two channels.
 */
final class SessionLocks implements AutoCloseable {

	static final int STRIPES = 1024;

	private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);

	private static final int YIELDS = 10;

	private static final long MIN_PAUSE_NANOS = 20_000;

	private static final long MAX_PAUSE_NANOS = 200_000;

	private final FileChannel file;

	private static final ReentrantLock[] threads = IntStream.range(0, STRIPES)
		.mapToObj((stripe) -> new ReentrantLock())
		.toArray(ReentrantLock[]::new);

	// Each guarded by its stripe's thread lock
	private final FileLock[] held = new FileLock[STRIPES];

	SessionLocks(Path lockFile) throws IOException {
		this.file = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
				SessionStore.OWNER_ONLY);
	}

	/**
	 * Run an action while holding the locks of the given sessions, taken in stripe order
	 * so that two changes of session ids cannot deadlock.
	 * @param <T> the result type
	 * @param first a session id
	 * @param second another session id, or the same
	 * @param action what to run
	 * @return its result
	 * @throws IOException if the action or the locking fails
	 */
	<T> T locked(String first, String second, LockedAction<T> action) throws IOException {
		int a = stripe(first);
		int b = stripe(second);
		int low = Math.min(a, b);
		int high = Math.max(a, b);
		lock(low);
		try {
			if (high == low) {
				return action.run();
			}
			lock(high);
			try {
				return action.run();
			}
			finally {
				unlock(high);
			}
		}
		finally {
			unlock(low);
		}
	}

	/**
	 * Run an action while holding the lock of a session, unless this thread holds it
	 * already.
	 * @param <T> the result type
	 * @param id the session id
	 * @param action what to run
	 * @return its result
	 * @throws IOException if the action or the locking fails
	 */
	<T> T lockedUnlessHeld(String id, LockedAction<T> action) throws IOException {
		return threads[stripe(id)].isHeldByCurrentThread() ? action.run() : locked(id, id, action);
	}

	private void lock(int stripe) throws IOException {
		threads[stripe].lock();
		try {
			this.held[stripe] = lockFile(stripe);
		}
		catch (IOException | RuntimeException ex) {
			threads[stripe].unlock();
			throw ex;
		}
	}

	/**
	 * Take a stripe of the lock file without blocking in the kernel: a blocking
	 * {@code fcntl} lock fails with "Resource deadlock avoided" when two workers each hold
	 * a stripe another of their threads waits for, because the kernel sees processes, not
	 * threads, waiting for each other.
	 */
	private FileLock lockFile(int stripe) throws IOException {
		long deadline = System.nanoTime() + LOCK_TIMEOUT.toNanos();
		long pause = MIN_PAUSE_NANOS;
		for (int attempt = 1;; attempt++) {
			FileLock lock = this.file.tryLock(stripe, 1, false);
			if (lock != null) {
				return lock;
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IOException("Another worker held the lock of a session for more than " + LOCK_TIMEOUT);
			}
			// A session is held for microseconds: let the holder run before sleeping
			if (attempt <= YIELDS) {
				Thread.yield();
			}
			else {
				LockSupport.parkNanos(pause);
				pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
			}
		}
	}

	private void unlock(int stripe) throws IOException {
		try {
			FileLock lock = this.held[stripe];
			this.held[stripe] = null;
			if (lock != null) {
				lock.release();
			}
		}
		finally {
			threads[stripe].unlock();
		}
	}

	static int stripe(String id) {
		return Math.floorMod(id.hashCode(), STRIPES);
	}

	@Override
	public void close() throws IOException {
		this.file.close();
	}

	/**
	 * Something done under a session's lock.
	 *
	 * @param <T> the result type
	 */
	@FunctionalInterface
	interface LockedAction<T> {

		T run() throws IOException;

	}

}
