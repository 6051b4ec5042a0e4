package io.github.clusterstarter.diagnostics;

import java.util.List;
import java.util.Optional;

import io.github.clusterstarter.autoconfigure.ClusterProperties;
import io.github.clusterstarter.socket.ThreadAffinity;
import io.github.clusterstarter.worker.CpuAffinity;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Finds a {@code cluster.worker.cpu-affinity=auto} that would pin workers to CPUs the
 * cluster does not have to itself: a CPU quota (a container's CPU limit) below the
 * number of CPUs the master may run on means other processes share those CPUs.
 */
public final class PinnedCpus {

	private PinnedCpus() {
	}

	/**
	 * Check the cluster's CPU affinity against this process's CPUs and quota.
	 * @param environment the application's environment
	 * @return a warning, if the workers would be pinned to shared CPUs
	 */
	public static Optional<String> check(Environment environment) {
		CpuAffinity affinity = ClusterProperties.get(Binder.get(environment)).getWorker().getCpuAffinity();
		if (affinity == CpuAffinity.NONE) {
			return Optional.empty();
		}
		// The JDK's count follows a control group's CPU quota; the affinity mask does not
		return check(ThreadAffinity.ofCallingThread(), Runtime.getRuntime().availableProcessors());
	}

	static Optional<String> check(List<Integer> allowed, int availableProcessors) {
		if (availableProcessors >= allowed.size()) {
			return Optional.empty();
		}
		return Optional.of(("cluster.worker.cpu-affinity=auto pins each worker to one of the %d CPUs this process may "
				+ "run on, but its CPU quota (a container's CPU limit) gives it the time of %d: other processes "
				+ "share those CPUs, and a pinned worker cannot move to an idle one. Leave cluster.worker.cpu-affinity "
				+ "at none here, or give the cluster CPUs of its own (a cpuset, Kubernetes' static CPU manager "
				+ "policy).").formatted(allowed.size(), availableProcessors));
	}

}
