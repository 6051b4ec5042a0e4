package io.github.clusterstarter.master;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.clusterstarter.control.Message;
import io.github.clusterstarter.socket.ListeningSocket;

/**
 * Builds the master's answer to a status request: the master and every worker slot.
 * Times are epoch milliseconds, durations milliseconds.
 */
final class StatusReport {

	private StatusReport() {
	}

	static Message of(ClusterMaster master) {
		long now = System.currentTimeMillis();
		Map<String, Object> self = new LinkedHashMap<>();
		self.put("pid", ProcessHandle.current().pid());
		self.put("startedAt", master.startedAt().toEpochMilli());
		self.put("uptime", now - master.startedAt().toEpochMilli());
		ListeningSocket socket = master.socket();
		self.put("address", (socket != null) ? socket.host() : null);
		self.put("port", (socket != null) ? socket.port() : null);
		self.put("desiredWorkers", master.settings().workers());
		self.put("state", master.isShuttingDown() ? "STOPPING" : "RUNNING");
		List<Object> workers = new ArrayList<>();
		for (WorkerSlot slot : master.slots().values()) {
			workers.add(describe(slot, now));
		}
		return Message.of("status", "master", self, "workers", workers);
	}

	private static Map<String, Object> describe(WorkerSlot slot, long now) {
		Map<String, Object> worker = new LinkedHashMap<>();
		worker.put("id", slot.id);
		worker.put("pid", slot.hasProcess() ? slot.pid : null);
		worker.put("state", slot.state.name());
		boolean running = slot.hasProcess() && slot.startedAt != null;
		worker.put("startedAt", running ? slot.startedAt.toEpochMilli() : null);
		worker.put("uptime", running ? now - slot.startedAt.toEpochMilli() : null);
		worker.put("restarts", slot.restarts);
		if (slot.lastExit != null) {
			worker.put("lastExit", Map.of("status", slot.lastExit.status(), "at", slot.lastExit.at().toEpochMilli()));
		}
		else {
			worker.put("lastExit", null);
		}
		return worker;
	}

}
