package io.github.clusterstarter.master;

import java.util.ArrayList;
import java.util.List;

import io.github.clusterstarter.control.WorkerIdentity;
import org.jspecify.annotations.Nullable;

/**
 * A {@link WorkerJvm} that does not exist: it records what the master does to it and
 * exits when the test says so, or, unless told otherwise, at once when it is killed.
 */
final class FakeWorkerJvm implements WorkerJvm {

	final WorkerIdentity identity;

	final BootPriority priority;

	final long pid;

	private final boolean exitOnKill;

	private final List<Runnable> exitActions = new ArrayList<>();

	int stopRequests;

	int threadDumps;

	int servingPriorities;

	/**
	 * The CPUs the master let it run on, each time it did.
	 */
	final List<List<Integer>> placements = new ArrayList<>();

	/**
	 * What {@link #runOn} throws, if anything.
	 */
	@Nullable RuntimeException placementFailure;

	boolean killed;

	int kills;

	private Integer exitStatus;

	FakeWorkerJvm(WorkerIdentity identity, BootPriority priority, long pid, boolean exitOnKill) {
		this.identity = identity;
		this.priority = priority;
		this.pid = pid;
		this.exitOnKill = exitOnKill;
	}

	int workerId() {
		return this.identity.workerId();
	}

	@Override
	public long pid() {
		return this.pid;
	}

	@Override
	public void stop() {
		this.stopRequests++;
	}

	@Override
	public void kill() {
		this.killed = true;
		this.kills++;
		if (this.exitOnKill) {
			exit(137);
		}
	}

	@Override
	public boolean requestThreadDump() {
		this.threadDumps++;
		return true;
	}

	@Override
	public void takeServingPriority() {
		this.servingPriorities++;
	}

	@Override
	public void runOn(List<Integer> cpus) {
		if (this.placementFailure != null) {
			throw this.placementFailure;
		}
		this.placements.add(cpus);
	}

	@Override
	public int exitStatus() {
		if (this.exitStatus == null) {
			throw new IllegalStateException("pid " + this.pid + " has not exited");
		}
		return this.exitStatus;
	}

	@Override
	public void onExit(Runnable action) {
		this.exitActions.add(action);
	}

	/**
	 * Exit, unless already exited; the exit actions post to the master's queue.
	 * @param status the exit status
	 */
	void exit(int status) {
		if (this.exitStatus == null) {
			this.exitStatus = status;
			this.exitActions.forEach(Runnable::run);
		}
	}

	boolean hasExited() {
		return this.exitStatus != null;
	}

	boolean isStopRequested() {
		return this.stopRequests > 0;
	}

	@Override
	public String toString() {
		return "worker %d (pid %d)".formatted(workerId(), this.pid);
	}

}
