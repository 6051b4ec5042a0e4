package io.github.clusterstarter.master;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.sun.jna.LastErrorException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * With {@code cluster.worker.cpu-affinity=auto}, pins each serving worker to a CPU of its
 * own, worker N to the Nth of the master's CPUs (round again when there are more workers
 * than CPUs), so that its threads keep that CPU's caches; and lets them all run on every
 * CPU while a process boots. A serving worker pinned to a CPU where a boot runs would wait
 * behind it, where an unpinned one moves to another CPU: under full load, that took the
 * p99 of a rolling restart from 2-3 to 7 times the steady one.
 */
final class ServingCpus {

	private static final Log logger = LogFactory.getLog(ServingCpus.class);

	private final WorkerPool pool;

	private final List<Integer> cpus;

	/**
	 * Create the placement.
	 * @param pool the workers and standby processes
	 * @param cpus the master's CPUs, in ascending order; fewer than two for none
	 */
	ServingCpus(WorkerPool pool, List<Integer> cpus) {
		this.pool = pool;
		this.cpus = List.copyOf(cpus);
	}

	/**
	 * Move the serving workers to where they belong now: every CPU while a process boots,
	 * each its own otherwise.
	 */
	void advance() {
		if (this.cpus.size() < 2) {
			return;
		}
		boolean booting = this.pool.starting() > 0;
		List<String> moved = new ArrayList<>();
		this.pool.processes()
			.filter(WorkerProcess::isReady)
			.toList()
			.forEach((process) -> place(process, booting ? null : cpuOf(process.workerId), moved));
		if (!moved.isEmpty()) {
			logger.info((booting ? "While a worker boots, serving workers run on every CPU: %s"
					: "Serving workers pinned to their CPUs (cluster.worker.cpu-affinity=auto): %s")
				.formatted(String.join(", ", moved)));
		}
	}

	private void place(WorkerProcess process, @Nullable Integer cpu, List<String> moved) {
		if (cpu == null ? process.cpu == null : cpu.equals(process.cpu)) {
			return;
		}
		// Recorded also when it fails, so that a process the master cannot move is not tried on every turn
		process.cpu = cpu;
		try {
			process.jvm.runOn((cpu != null) ? List.of(cpu) : this.cpus);
			moved.add((cpu != null) ? "%s on CPU %d".formatted(process.describe(), cpu) : process.describe());
		}
		catch (LastErrorException | UncheckedIOException ex) {
			// Gone meanwhile (its exit follows), or its CPUs were taken away (a cpuset changed)
			logger.warn("Cannot move %s to %s: %s".formatted(process.describe(),
					(cpu != null) ? "CPU " + cpu : "every CPU", ex.getMessage()));
		}
	}

	/**
	 * Return the CPU of a worker id: worker 1 on the first of the master's CPUs, worker 2
	 * on the second, and so on round.
	 * @param workerId the worker id, from 1
	 * @return the CPU number
	 */
	private int cpuOf(int workerId) {
		return this.cpus.get(Math.floorMod(workerId - 1, this.cpus.size()));
	}

}
