package io.github.clusterstarter.master;

import java.util.concurrent.BlockingQueue;

import io.github.clusterstarter.control.ControlConnection;
import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.ControlServer;
import io.github.clusterstarter.control.Frame;

/**
 * Hands control server callbacks, which run on reader threads, to the event loop.
 */
record ControlEvents(BlockingQueue<MasterEvent> events) implements ControlServer.Listener {

	@Override
	public void onConnected(ControlConnection connection) {
		this.events.add(new MasterEvent.Connected(connection));
	}

	@Override
	public void onMessage(ControlConnection connection, Frame<ControlMessage.WorkerMessage> frame) {
		this.events.add(new MasterEvent.Received(connection, frame));
	}

	@Override
	public void onDisconnected(ControlConnection connection) {
		this.events.add(new MasterEvent.Disconnected(connection));
	}

}
