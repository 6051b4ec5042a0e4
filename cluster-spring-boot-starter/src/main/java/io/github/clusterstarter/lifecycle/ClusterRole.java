package io.github.clusterstarter.lifecycle;

import java.util.Map;
import java.util.Optional;

import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.master.WorkerCount;
import io.github.clusterstarter.socket.ChildEnvironment;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;

/**
 * The part this process plays in a cluster.
 */
public enum ClusterRole {

	/**
	 * Supervises the workers; never creates the application's context.
	 */
	MASTER,

	/**
	 * Runs the application on the shared socket.
	 */
	WORKER,

	/**
	 * Not clustered: the application runs as an ordinary single process.
	 */
	STANDALONE;

	/**
	 * Decide the role of this process.
	 * @param environment the application's environment
	 * @param classLoader the application's class loader
	 * @return the role
	 */
	public static ClusterRole of(Environment environment, @Nullable ClassLoader classLoader) {
		if (workerIdentity().isPresent()) {
			return WORKER;
		}
		if ((!WorkerCount.isClustered(environment.getProperty("cluster.workers"))
				&& !isPreparingClassDataSharing(environment))
				|| System.getenv(WorkerIdentity.CDS_TRAINING_VARIABLE) != null) {
			return STANDALONE;
		}
		return new ClusterSkipCheck().shouldSkip(classLoader) ? STANDALONE : MASTER;
	}

	/**
	 * Return whether the master only prepares the class data sharing archive and exits
	 * ({@code cluster.worker.cds.prepare}): an image build step, which may run without
	 * {@code cluster.workers}, since the image's environment often sets it.
	 * @param environment the application's environment
	 * @return whether the master prepares the archive
	 */
	static boolean isPreparingClassDataSharing(Environment environment) {
		return environment.getProperty("cluster.worker.cds.prepare", Boolean.class, false);
	}

	/**
	 * Return the identity the master gave this process, if it is a worker: from the
	 * variables it started with, which a worker removes from its environment.
	 * @return the worker identity
	 */
	static Optional<WorkerIdentity> workerIdentity() {
		return workerIdentity(ChildEnvironment.atStart(),
				ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L));
	}

	/**
	 * Return the identity in the environment if its master is the parent process: a
	 * process that a worker starts inherits the worker's environment, yet is no worker.
	 * @param environment the process environment
	 * @param parentPid the pid of the parent process
	 * @return the worker identity
	 */
	static Optional<WorkerIdentity> workerIdentity(Map<String, String> environment, long parentPid) {
		return WorkerIdentity.fromEnvironment(environment).filter((identity) -> identity.masterPid() == parentPid);
	}

}
