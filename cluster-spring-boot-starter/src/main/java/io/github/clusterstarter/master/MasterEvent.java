package io.github.clusterstarter.master;

import io.github.clusterstarter.control.ControlConnection;
import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.Frame;

/**
 * Something that happened to the master, queued for its event loop.
 */
sealed interface MasterEvent {

	/**
	 * The master received a signal.
	 *
	 * @param name the signal's name without {@code SIG}: TERM, INT, HUP, TTIN or TTOU
	 */
	record SignalReceived(String name) implements MasterEvent {
	}

	/**
	 * A worker process exited.
	 *
	 * @param process the process
	 */
	record WorkerExited(WorkerProcess process) implements MasterEvent {
	}

	/**
	 * A worker opened a control connection and presented the secret.
	 *
	 * @param connection the connection
	 */
	record Connected(ControlConnection connection) implements MasterEvent {
	}

	/**
	 * A message arrived on a control connection.
	 *
	 * @param connection the connection
	 * @param frame the message
	 */
	record Received(ControlConnection connection, Frame<ControlMessage.WorkerMessage> frame) implements MasterEvent {
	}

	/**
	 * A control connection closed.
	 *
	 * @param connection the connection
	 */
	record Disconnected(ControlConnection connection) implements MasterEvent {
	}

}
