package io.github.clusterstarter.diagnostics;

import java.util.List;
import java.util.Optional;

/**
 * Finds a {@code cluster.worker.cpu-affinity=auto} that cannot do what it is for: a
 * master that may run on one CPU only has nothing to spread, and a CPU quota (a
 * container's CPU limit) below the number of CPUs the master may run on means other
 * processes share those CPUs.
 */
public final class PinnedCpus {

	private PinnedCpus() {
	}

	/**
	 * Check the CPUs the workers would be pinned to against this process's CPU quota.
	 * @param servingCpus the CPUs serving workers are pinned to, empty for none
	 * @return a warning, if pinning cannot pay
	 */
	public static Optional<String> check(List<Integer> servingCpus) {
		// The JDK's count follows a control group's CPU quota; the affinity mask does not
		return check(servingCpus, Runtime.getRuntime().availableProcessors());
	}

	static Optional<String> check(List<Integer> servingCpus, int availableProcessors) {
		if (servingCpus.size() == 1) {
			return Optional.of(("cluster.worker.cpu-affinity=auto has nothing to spread: this process may run on CPU "
					+ "%d only, and so do its workers").formatted(servingCpus.get(0)));
		}
		if (availableProcessors >= servingCpus.size()) {
			return Optional.empty();
		}
		return Optional.of(("cluster.worker.cpu-affinity=auto pins each worker to one of the %d CPUs this process may "
				+ "run on, but its CPU quota (a container's CPU limit) gives it the time of %d: other processes "
				+ "share those CPUs, and a pinned worker cannot move to an idle one. Leave cluster.worker.cpu-affinity "
				+ "at none here, or give the cluster CPUs of its own (a cpuset, Kubernetes' static CPU manager "
				+ "policy).").formatted(servingCpus.size(), availableProcessors));
	}

}
