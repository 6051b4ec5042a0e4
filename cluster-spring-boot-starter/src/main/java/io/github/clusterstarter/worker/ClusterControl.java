package io.github.clusterstarter.worker;

import java.time.Duration;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.Frame;
import io.github.clusterstarter.status.ClusterStatus;

/**
 * Asks the master, from any worker, for the state of the cluster and for the commands an
 * operator gives: rolling restarts, restarts of one worker and scaling.
 */
public class ClusterControl {

	private final MasterConnection connection;

	/**
	 * Create a new instance.
	 * @param connection the connection to the master
	 */
	public ClusterControl(MasterConnection connection) {
		this.connection = connection;
	}

	/**
	 * Return the id of the worker that asks.
	 * @return the worker id
	 */
	public int workerId() {
		return this.connection.workerId();
	}

	/**
	 * Ask the master for the state of the cluster.
	 * @param timeout how long to wait for the answer
	 * @return the status
	 * @throws MasterUnavailableException if the master does not answer in time
	 */
	public ClusterStatus status(Duration timeout) {
		return this.connection
			.request(new ControlMessage.StatusRequest(), Frame.NO_BODY, ControlMessage.Status.class, timeout)
			.status();
	}

	/**
	 * Ask the master to replace every worker, one batch at a time.
	 * @param timeout how long to wait for the answer
	 * @return what the master does
	 * @throws ClusterCommandException if the master refuses
	 * @throws MasterUnavailableException if the master does not answer in time
	 */
	public String rollout(Duration timeout) {
		return command(new ControlMessage.RolloutRequest(), timeout);
	}

	/**
	 * Ask the master to replace itself with a new master, which takes over the socket
	 * and starts workers of its own before this one and its workers stop.
	 * @param timeout how long to wait for the answer
	 * @return what the master does
	 * @throws ClusterCommandException if the master refuses
	 * @throws MasterUnavailableException if the master does not answer in time
	 */
	public String upgrade(Duration timeout) {
		return command(new ControlMessage.UpgradeRequest(), timeout);
	}

	/**
	 * Ask the master to replace one worker.
	 * @param workerId the worker to replace
	 * @param timeout how long to wait for the answer
	 * @return what the master does
	 * @throws ClusterCommandException if the master refuses
	 * @throws MasterUnavailableException if the master does not answer in time
	 */
	public String restart(int workerId, Duration timeout) {
		return command(new ControlMessage.RestartRequest(workerId), timeout);
	}

	/**
	 * Ask the master to run the given number of workers.
	 * @param workers the number of workers
	 * @param timeout how long to wait for the answer
	 * @return what the master does
	 * @throws ClusterCommandException if the master refuses
	 * @throws MasterUnavailableException if the master does not answer in time
	 */
	public String scale(int workers, Duration timeout) {
		return command(new ControlMessage.ScaleRequest(workers), timeout);
	}

	private String command(ControlMessage.WorkerMessage command, Duration timeout) {
		return this.connection.request(command, Frame.NO_BODY, ControlMessage.Accepted.class, timeout).detail();
	}

}
