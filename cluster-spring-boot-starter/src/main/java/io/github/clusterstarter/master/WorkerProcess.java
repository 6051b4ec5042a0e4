package io.github.clusterstarter.master;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.clusterstarter.control.ControlConnection;
import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.status.ClusterStatus;
import io.github.clusterstarter.status.WorkerState;
import org.jspecify.annotations.Nullable;

/**
 * One worker process, from its start to its exit, as the master keeps track of it. Only
 * the master's event loop touches it.
 */
final class WorkerProcess {

	/**
	 * {@link #requestLimit} before {@link Recycling} drew one.
	 */
	static final long NO_LIMIT_YET = -1;

	/**
	 * The worker id this process serves, {@link WorkerIdentity#STANDBY_ID} while it is a standby.
	 */
	int workerId;

	/**
	 * Whether it was started as a standby, whose first control connections present
	 * {@link WorkerIdentity#STANDBY_ID}.
	 */
	final boolean startedAsStandby;

	final WorkerJvm jvm;

	final long pid;

	final Instant startedAt;

	final long startedNanos;

	WorkerState state = WorkerState.STARTING;

	/**
	 * The CPU priority it boots at, {@link BootPriority#NORMAL} once it was given the
	 * master's.
	 */
	BootPriority bootPriority = BootPriority.NORMAL;

	long readyNanos;

	/**
	 * The CPU it is pinned to while it serves ({@link ServingCpus}), {@code null} while it
	 * may run on every CPU of the master, as it boots.
	 */
	@Nullable Integer cpu;

	/**
	 * The welcomed control connections of this process, oldest first. The oldest carries
	 * what the master sends unasked; answers go back where the request came from.
	 */
	final List<ControlConnection> connections = new ArrayList<>();

	/**
	 * Why this process failed to boot, as it reported it.
	 */
	@Nullable String bootFailure;

	boolean killedForReadyTimeout;

	/**
	 * What this process runs, as it reported it when ready.
	 */
	ClusterStatus.@Nullable BuildInfo build;

	long lastHeartbeatNanos;

	@Nullable Instant lastHeartbeatAt;

	long heapUsed;

	long heapMax;

	long requests;

	long inFlight;

	/**
	 * Requests after which this process is recycled, 0 for never.
	 */
	long requestLimit = NO_LIMIT_YET;

	long rssBytes;

	double cpuPercent;

	long cpuNanos;

	long cpuSampledNanos;

	/**
	 * Whether the watchdog gave up on this process, and when; it is killed shortly after,
	 * once its thread dump had a chance to be written.
	 */
	boolean hung;

	long hungAtNanos;

	boolean killedAsHung;

	/**
	 * When the master asked this process to stop, and whether it was killed for not
	 * stopping in time.
	 */
	long stopRequestedNanos;

	boolean killedForStopTimeout;

	WorkerProcess(int workerId, WorkerJvm jvm, long nanos, Instant at) {
		this.workerId = workerId;
		this.startedAsStandby = workerId == WorkerIdentity.STANDBY_ID;
		this.jvm = jvm;
		this.pid = jvm.pid();
		this.startedNanos = nanos;
		this.startedAt = at;
		this.lastHeartbeatNanos = nanos;
	}

	void heartbeat(ControlMessage.Heartbeat heartbeat, long nanos, Instant at) {
		this.lastHeartbeatNanos = nanos;
		this.lastHeartbeatAt = at;
		this.heapUsed = heartbeat.heapUsed();
		this.heapMax = heartbeat.heapMax();
		this.requests = heartbeat.requests();
		this.inFlight = heartbeat.inFlight();
	}

	void ready(ClusterStatus.@Nullable BuildInfo build, long nanos) {
		this.state = WorkerState.READY;
		this.readyNanos = nanos;
		this.build = build;
	}

	boolean isStarting() {
		return this.state == WorkerState.STARTING;
	}

	boolean isReady() {
		return this.state == WorkerState.READY;
	}

	boolean isStandby() {
		return this.state == WorkerState.STANDBY;
	}

	/**
	 * Return whether a control connection that presents the given worker id speaks for
	 * this process: its id, or the standby id it was started with.
	 * @param id the id presented
	 * @return whether it is this process's
	 */
	boolean answersTo(int id) {
		return id == this.workerId || (this.startedAsStandby && id == WorkerIdentity.STANDBY_ID);
	}

	boolean isStopping() {
		return this.state == WorkerState.STOPPING;
	}

	/**
	 * Ask the worker to stop gracefully: it drains its connections, finishes its requests
	 * and exits.
	 * @param nanos the current time, from which its stop timeout runs
	 */
	void stop(long nanos) {
		this.state = WorkerState.STOPPING;
		this.stopRequestedNanos = nanos;
		this.jvm.stop();
	}

	/**
	 * Return the connection that carries what the master sends unasked: the oldest.
	 * @return the connection, or {@code null} while there is none
	 */
	@Nullable ControlConnection connection() {
		return this.connections.isEmpty() ? null : this.connections.get(0);
	}

	/**
	 * Send a message that the worker did not ask for.
	 * @param message the message
	 * @return whether it was queued
	 */
	boolean send(ControlMessage.MasterMessage message) {
		ControlConnection connection = connection();
		return connection != null && connection.send(message);
	}

	/**
	 * Send a message with a body that the worker did not ask for.
	 * @param message the message
	 * @param body the body
	 * @return whether it was queued
	 */
	boolean send(ControlMessage.MasterMessage message, byte[] body) {
		ControlConnection connection = connection();
		return connection != null && connection.send(message, body);
	}

	String describe() {
		return (this.workerId != WorkerIdentity.STANDBY_ID) ? "Worker %d (pid %d)".formatted(this.workerId, this.pid)
				: "Standby (pid %d)".formatted(this.pid);
	}

	@Override
	public String toString() {
		return describe();
	}

}
