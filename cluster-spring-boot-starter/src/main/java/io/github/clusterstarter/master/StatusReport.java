package io.github.clusterstarter.master;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.clusterstarter.status.ClusterStatus;
import io.github.clusterstarter.status.MasterState;
import io.github.clusterstarter.status.WorkerState;
import org.jspecify.annotations.Nullable;

/**
 * Builds the master's answer to a status request: the master, every worker id and the
 * current or last rolling restart.
 */
final class StatusReport {

	private final WorkerPool pool;

	private final RollingRestarts rollouts;

	private final WorkerStarter starter;

	private final PrimaryElection primary;

	private final ProcessSampler sampler;

	private final MasterClock clock;

	private final long masterPid;

	private final Instant startedAt;

	StatusReport(WorkerPool pool, RollingRestarts rollouts, WorkerStarter starter, PrimaryElection primary,
			ProcessSampler sampler, MasterClock clock, long masterPid, Instant startedAt) {
		this.pool = pool;
		this.rollouts = rollouts;
		this.starter = starter;
		this.primary = primary;
		this.sampler = sampler;
		this.clock = clock;
		this.masterPid = masterPid;
		this.startedAt = startedAt;
	}

	/**
	 * Return the status of the cluster now.
	 * @param address where the cluster listens
	 * @return the status
	 */
	ClusterStatus of(MasterAddress address) {
		Instant now = this.clock.instant();
		ClusterStatus.MasterStatus master = new ClusterStatus.MasterStatus(this.masterPid, this.startedAt,
				Duration.between(this.startedAt, now), address.host(), address.port(), this.pool.desired(),
				this.pool.isStopping() ? MasterState.STOPPING : MasterState.RUNNING, this.sampler.masterRssBytes(),
				this.primary.primaryWorker(), this.starter.replacements(), this.pool.abandoned());
		List<ClusterStatus.WorkerStatus> workers = this.pool.slots()
			.stream()
			.map((slot) -> describe(slot, now))
			.toList();
		List<ClusterStatus.StandbyStatus> standbys = this.pool.standbys.stream()
			.map((standby) -> new ClusterStatus.StandbyStatus(standby.pid, standby.state, standby.startedAt,
					Duration.between(standby.startedAt, now), standby.rssBytes, standby.heapUsed,
					standby.lastHeartbeatAt))
			.toList();
		return new ClusterStatus(master, workers, standbys, describe(this.rollouts.rollout()));
	}

	private ClusterStatus.WorkerStatus describe(WorkerSlot slot, Instant now) {
		WorkerState state = slot.removing ? WorkerState.STOPPING : slot.state();
		WorkerProcess replacement = slot.replacement;
		ClusterStatus.ReplacementProcess booting = (replacement != null)
				? new ClusterStatus.ReplacementProcess(replacement.pid, replacement.state, replacement.startedAt)
				: null;
		List<Long> stopping = slot.retired.stream().map((process) -> process.pid).toList();
		WorkerProcess current = slot.current;
		if (current == null) {
			return new ClusterStatus.WorkerStatus(slot.id, null, state, null, null, null, null, null, null, null, null,
					null, null, slot.restarts, slot.lastReplacement, slot.lastExit, booting, stopping, null);
		}
		return new ClusterStatus.WorkerStatus(slot.id, current.pid, state, current.startedAt,
				Duration.between(current.startedAt, now), current.build, current.rssBytes,
				Math.round(current.cpuPercent * 10) / 10.0, current.heapUsed, current.heapMax, current.requests,
				current.inFlight, current.lastHeartbeatAt, slot.restarts, slot.lastReplacement, slot.lastExit, booting,
				stopping, current.cpu);
	}

	private static ClusterStatus.@Nullable RolloutStatus describe(@Nullable Rollout rollout) {
		if (rollout == null) {
			return null;
		}
		return new ClusterStatus.RolloutStatus(rollout.state, rollout.trigger, rollout.startedAt, rollout.finishedAt,
				rollout.total, rollout.completed, List.copyOf(rollout.inFlight), rollout.reason);
	}

}
