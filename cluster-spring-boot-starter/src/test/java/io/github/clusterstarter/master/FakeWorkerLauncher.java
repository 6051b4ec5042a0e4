package io.github.clusterstarter.master;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.github.clusterstarter.control.WorkerIdentity;

/**
 * A {@link WorkerLauncher} of {@link FakeWorkerJvm fake processes}, with pids from 1001.
 */
final class FakeWorkerLauncher implements WorkerLauncher {

	final List<FakeWorkerJvm> launched = new ArrayList<>();

	/**
	 * Whether the processes exit as soon as they are killed.
	 */
	boolean exitOnKill = true;

	private long nextPid = 1001;

	private int failures;

	@Override
	public WorkerJvm launch(WorkerIdentity identity, BootPriority priority) throws IOException {
		if (this.failures > 0) {
			this.failures--;
			throw new IOException("no such file: java");
		}
		FakeWorkerJvm jvm = new FakeWorkerJvm(identity, priority, this.nextPid++, this.exitOnKill);
		this.launched.add(jvm);
		return jvm;
	}

	/**
	 * Make the next launches fail.
	 * @param launches how many
	 */
	void failNext(int launches) {
		this.failures = launches;
	}

	List<FakeWorkerJvm> of(int workerId) {
		return this.launched.stream().filter((jvm) -> jvm.workerId() == workerId).toList();
	}

	List<FakeWorkerJvm> running() {
		return this.launched.stream().filter((jvm) -> !jvm.hasExited()).toList();
	}

}
