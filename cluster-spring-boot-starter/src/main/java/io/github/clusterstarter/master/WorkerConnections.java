package io.github.clusterstarter.master;

import io.github.clusterstarter.control.ControlConnection;
import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.ErrorCode;
import io.github.clusterstarter.control.Frame;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Decides which control connections the master accepts and which process each speaks
 * for. A connection is welcomed when the pid it presents is a live process of the worker
 * id it presents; a process may open several. A message counts only while its connection
 * is welcomed and its process still belongs to that id: any other is a bad message,
 * answered as such and logged, and the connection stays open.
 */
final class WorkerConnections {

	private static final Log logger = LogFactory.getLog(WorkerConnections.class);

	private final WorkerPool pool;

	private final PrimaryElection primary;

	WorkerConnections(WorkerPool pool, PrimaryElection primary) {
		this.pool = pool;
		this.primary = primary;
	}

	void connected(ControlConnection connection) {
		WorkerProcess process = this.pool.process(connection.workerId(), connection.pid());
		if (process == null) {
			connection.refuse("pid %d is not a process of worker %d".formatted(connection.pid(),
					connection.workerId()));
			return;
		}
		connection.welcome();
		process.connections.add(connection);
		if (process.connection() == connection) {
			this.primary.announceTo(process);
		}
	}

	void disconnected(ControlConnection connection) {
		WorkerProcess process = this.pool.process(connection.workerId(), connection.pid());
		if (process == null) {
			return;
		}
		ControlConnection previous = process.connection();
		process.connections.remove(connection);
		if (previous == connection && process.connection() != null) {
			// The master now sends to this process on another connection
			this.primary.announceTo(process);
		}
	}

	/**
	 * Return the process a message comes from, or reject the message.
	 * @param connection the connection it arrived on
	 * @param frame the message
	 * @return the process, or {@code null} if the message was rejected
	 */
	@Nullable WorkerProcess sender(ControlConnection connection, Frame<ControlMessage.WorkerMessage> frame) {
		WorkerProcess process = this.pool.process(connection.workerId(), connection.pid());
		if (process == null) {
			reject(connection, frame, "pid %d is no longer a process of worker %d".formatted(connection.pid(),
					connection.workerId()));
			return null;
		}
		if (!process.connections.contains(connection)) {
			reject(connection, frame, "its connection was not welcomed");
			return null;
		}
		return process;
	}

	/**
	 * Answer a bad message, if it is a request, and log it.
	 * @param connection the connection it arrived on
	 * @param frame the message
	 * @param reason what is wrong with it
	 */
	void reject(ControlConnection connection, Frame<ControlMessage.WorkerMessage> frame, String reason) {
		logger.warn("Rejected a '%s' message from worker %d (pid %d): %s".formatted(
				ControlMessage.typeName(frame.message()), connection.workerId(), connection.pid(), reason));
		if (frame.isRequest()) {
			connection.replyError(frame, ErrorCode.BAD_MESSAGE, reason);
		}
	}

}
