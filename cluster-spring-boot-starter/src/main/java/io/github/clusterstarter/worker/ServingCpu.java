package io.github.clusterstarter.worker;

import java.io.UncheckedIOException;
import java.util.List;

import com.sun.jna.LastErrorException;
import io.github.clusterstarter.socket.ThreadAffinity;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Pins a worker that starts serving to one CPU when {@link CpuAffinity#AUTO} asks for
 * it. It booted on every CPU, so the JVM sized its GC and compiler threads for them and
 * the boot used them all.
 */
public final class ServingCpu {

	private static final Log logger = LogFactory.getLog(ServingCpu.class);

	private ServingCpu() {
	}

	/**
	 * Move every thread of this process to the CPU of the given worker id, if the
	 * affinity asks for it.
	 * @param affinity the cluster's {@code cluster.worker.cpu-affinity}
	 * @param workerId the id this process serves as
	 */
	public static void take(CpuAffinity affinity, int workerId) {
		if (affinity == CpuAffinity.NONE) {
			return;
		}
		try {
			// Inherited from the master, which nothing pins
			List<Integer> allowed = ThreadAffinity.ofCallingThread();
			if (allowed.size() < 2) {
				logger.info(("Serving on CPU %d, the only one the master may use: cluster.worker.cpu-affinity=auto "
						+ "has nothing to spread").formatted(allowed.get(0)));
				return;
			}
			int cpu = cpuOf(workerId, allowed);
			ThreadAffinity.setEveryThread(ProcessHandle.current().pid(), cpu);
			logger.info("Serving on CPU %d of %s (cluster.worker.cpu-affinity=auto)".formatted(cpu, allowed));
		}
		catch (LastErrorException | UncheckedIOException ex) {
			logger.warn("Serving as worker %d on any CPU: cannot pin it to one (%s)".formatted(workerId,
					ex.getMessage()));
		}
	}

	/**
	 * Return the CPU of a worker id: worker 1 on the first of the allowed CPUs, worker 2
	 * on the second, and so on round.
	 * @param workerId the worker id, from 1
	 * @param allowed the CPUs the master may use, in ascending order
	 * @return the CPU number
	 */
	static int cpuOf(int workerId, List<Integer> allowed) {
		return allowed.get(Math.floorMod(workerId - 1, allowed.size()));
	}

}
