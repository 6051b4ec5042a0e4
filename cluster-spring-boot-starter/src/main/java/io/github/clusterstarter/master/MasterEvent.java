package io.github.clusterstarter.master;

import io.github.clusterstarter.control.ControlConnection;
import io.github.clusterstarter.control.Message;

/**
 * Something that happened to the master, queued for its event loop.
 */
sealed interface MasterEvent {

	record SignalReceived(String name) implements MasterEvent {
	}

	record WorkerExited(WorkerSlot slot, WorkerProcess process) implements MasterEvent {
	}

	record Connected(ControlConnection connection) implements MasterEvent {
	}

	record Received(ControlConnection connection, Message message) implements MasterEvent {
	}

	record Disconnected(ControlConnection connection) implements MasterEvent {
	}

}
