package io.github.clusterstarter.master;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The worker ids of the cluster and their processes, how many workers the master keeps
 * running, and whether it is stopping them all. Every policy of the master reads and
 * changes it; only the master's event loop touches it.
 */
final class WorkerPool {

	private final TreeMap<Integer, WorkerSlot> slots = new TreeMap<>();

	/**
	 * Standby processes, oldest first: booting, waiting, or stopping.
	 */
	final List<WorkerProcess> standbys = new ArrayList<>();

	private int desired;

	private boolean stopping;

	private boolean started;

	private @Nullable String abandoned;

	WorkerPool(int workers) {
		this.desired = workers;
		for (int id = 1; id <= workers; id++) {
			add(id);
		}
	}

	/**
	 * Return the slots, by id.
	 * @return the slots
	 */
	Collection<WorkerSlot> slots() {
		return this.slots.values();
	}

	/**
	 * Return the slots, highest id first.
	 * @return the slots
	 */
	List<WorkerSlot> highestFirst() {
		return List.copyOf(this.slots.descendingMap().values());
	}

	@Nullable WorkerSlot slot(int id) {
		return this.slots.get(id);
	}

	Set<Integer> ids() {
		return this.slots.keySet();
	}

	int size() {
		return this.slots.size();
	}

	void add(int id) {
		this.slots.put(id, new WorkerSlot(id));
	}

	void remove(WorkerSlot slot) {
		this.slots.remove(slot.id, slot);
	}

	/**
	 * Return every live process of every slot.
	 * @return the processes
	 */
	Stream<WorkerProcess> processes() {
		return Stream.concat(this.slots.values().stream().flatMap(WorkerSlot::processes), this.standbys.stream());
	}

	/**
	 * Return the live process with the given pid of the given id.
	 * @param id the worker id
	 * @param pid the pid
	 * @return the process, or {@code null} if the id has no such process
	 */
	@Nullable WorkerProcess process(int id, long pid) {
		return processes().filter((process) -> process.pid == pid && process.answersTo(id)).findFirst().orElse(null);
	}

	/**
	 * Return the oldest standby that can take over a worker id: ready, and not given up
	 * on by the watchdog.
	 * @return the standby, or {@code null} if none can
	 */
	@Nullable WorkerProcess readyStandby() {
		return this.standbys.stream().filter((process) -> process.isStandby() && !process.hung).findFirst().orElse(null);
	}

	/**
	 * Return the slot a process belongs to.
	 * @param process the process
	 * @return its slot, or {@code null} for a standby
	 */
	@Nullable WorkerSlot slotOf(WorkerProcess process) {
		WorkerSlot slot = this.slots.get(process.workerId);
		return (slot != null && slot.process(process.pid) == process) ? slot : null;
	}

	long starting() {
		return processes().filter(WorkerProcess::isStarting).count();
	}

	/**
	 * Return whether slots from a scale-down are still waiting for their processes to
	 * stop.
	 * @return whether workers are being removed
	 */
	boolean isRemoving() {
		return this.slots.values().stream().anyMatch((slot) -> slot.removing);
	}

	int desired() {
		return this.desired;
	}

	void desired(int workers) {
		this.desired = workers;
	}

	/**
	 * Return whether every worker was ready once: from then on, workers that keep failing
	 * to boot are given up on while the others serve, instead of ending the cluster.
	 * @return whether the cluster has started
	 */
	boolean isStarted() {
		return this.started;
	}

	void started() {
		this.started = true;
	}

	boolean hasReady() {
		return this.slots.values().stream().anyMatch((slot) -> slot.current != null && slot.current.isReady());
	}

	/**
	 * Return why the master last gave up on workers that kept failing to boot while the
	 * others served.
	 * @return the reason, or {@code null} if it never did
	 */
	@Nullable String abandoned() {
		return this.abandoned;
	}

	void abandoned(String reason) {
		this.abandoned = reason;
	}

	boolean isStopping() {
		return this.stopping;
	}

	void stopping() {
		this.stopping = true;
	}

}
