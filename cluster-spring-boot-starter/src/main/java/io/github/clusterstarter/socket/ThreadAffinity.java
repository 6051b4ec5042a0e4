package io.github.clusterstarter.socket;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;

import com.sun.jna.LastErrorException;

import org.springframework.util.Assert;

/**
 * The CPUs threads may run on. Linux keeps the set per thread, and a new thread or
 * process gets the set of the thread that created it. The JVM sizes its GC and compiler
 * threads from the set it starts with, and {@link Runtime#availableProcessors()} follows
 * the set of the calling thread.
 */
public final class ThreadAffinity {

	// glibc's cpu_set_t: 1024 CPUs
	private static final int MASK_LONGS = 16;

	private static final long MASK_BYTES = MASK_LONGS * Long.BYTES;

	private ThreadAffinity() {
	}

	/**
	 * Return the CPUs the calling thread may run on.
	 * @return the CPU numbers, in ascending order
	 */
	public static List<Integer> ofCallingThread() {
		long[] mask = new long[MASK_LONGS];
		LibC.get().sched_getaffinity(0, MASK_BYTES, mask);
		return BitSet.valueOf(mask).stream().boxed().toList();
	}

	/**
	 * Let every thread of a process run on the given CPUs only, also the threads that
	 * threads not yet moved start meanwhile.
	 * @param pid the process, this one or one of the same user
	 * @param cpus the CPU numbers, at least one
	 * @throws LastErrorException with {@code EINVAL} if none of the CPUs is one the process
	 * may use (its control group's cpuset) or online
	 * @throws UncheckedIOException if the threads of the process cannot be listed, as when
	 * it is gone
	 */
	public static void setEveryThread(long pid, Collection<Integer> cpus) {
		Assert.notEmpty(cpus, "At least one CPU is needed");
		BitSet set = new BitSet();
		for (int cpu : cpus) {
			if (cpu < 0 || cpu >= MASK_LONGS * Long.SIZE) {
				throw new IllegalArgumentException("CPU %d is beyond the %d CPUs a cpu_set_t holds".formatted(cpu,
						MASK_LONGS * Long.SIZE));
			}
			set.set(cpu);
		}
		long[] target = Arrays.copyOf(set.toLongArray(), MASK_LONGS);
		EveryThread.change(pid, (thread) -> {
			long[] current = new long[MASK_LONGS];
			LibC.get().sched_getaffinity(thread, MASK_BYTES, current);
			if (Arrays.equals(current, target)) {
				return false;
			}
			LibC.get().sched_setaffinity(thread, MASK_BYTES, target);
			return true;
		});
	}

}
