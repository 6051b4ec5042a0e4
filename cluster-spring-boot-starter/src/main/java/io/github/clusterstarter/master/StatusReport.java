package io.github.clusterstarter.master;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.clusterstarter.control.Message;
import io.github.clusterstarter.socket.ListeningSocket;
import org.jspecify.annotations.Nullable;

/**
 * Builds the master's answer to a status request: the master, every worker slot and the
 * last rolling restart. Times are epoch milliseconds, durations milliseconds.
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
		self.put("desiredWorkers", master.desiredWorkers());
		self.put("state", master.isShuttingDown() ? "STOPPING" : "RUNNING");
		self.put("rssBytes", master.rssBytes());
		self.put("primaryWorker", master.primaryWorkerId());
		self.put("replacements", Map.copyOf(master.replacements()));
		List<Object> workers = new ArrayList<>();
		for (WorkerSlot slot : master.slots().values()) {
			workers.add(describe(slot, now));
		}
		return Message.of("status", "master", self, "workers", workers, "rollout", describe(master.rollout()));
	}

	private static Map<String, Object> describe(WorkerSlot slot, long now) {
		Map<String, Object> worker = new LinkedHashMap<>();
		worker.put("id", slot.id);
		WorkerProcess current = slot.current;
		worker.put("pid", (current != null) ? current.pid : null);
		worker.put("state", slot.removing ? WorkerState.STOPPING.name() : slot.state().name());
		worker.put("startedAt", (current != null) ? current.startedAt.toEpochMilli() : null);
		worker.put("uptime", (current != null) ? now - current.startedAt.toEpochMilli() : null);
		worker.put("build", (current != null) ? current.build : null);
		worker.put("rssBytes", (current != null) ? current.rssBytes : null);
		worker.put("cpuPercent", (current != null) ? Math.round(current.cpuPercent * 10) / 10.0 : null);
		worker.put("heapUsedBytes", (current != null) ? current.heapUsed : null);
		worker.put("heapMaxBytes", (current != null) ? current.heapMax : null);
		worker.put("requestsServed", (current != null) ? current.requests : null);
		worker.put("requestsInFlight", (current != null) ? current.inFlight : null);
		worker.put("lastHeartbeat", (current != null) ? epochMillis(current.lastHeartbeatAt) : null);
		worker.put("restarts", slot.restarts);
		worker.put("lastReplacement", slot.lastReplacementReason);
		WorkerSlot.ExitRecord exit = slot.lastExit;
		worker.put("lastExit", (exit != null)
				? Map.of("pid", exit.pid(), "status", exit.status(), "at", exit.at().toEpochMilli()) : null);
		WorkerProcess replacement = slot.replacement;
		worker.put("replacement", (replacement != null) ? Map.of("pid", replacement.pid, "state",
				replacement.state.name(), "startedAt", replacement.startedAt.toEpochMilli()) : null);
		worker.put("stopping", slot.retired.stream().map((process) -> process.pid).toList());
		return worker;
	}

	private static @Nullable Map<String, Object> describe(@Nullable Rollout rollout) {
		if (rollout == null) {
			return null;
		}
		Map<String, Object> described = new LinkedHashMap<>();
		described.put("state", rollout.state.name());
		described.put("trigger", rollout.trigger);
		described.put("startedAt", rollout.startedAt.toEpochMilli());
		described.put("finishedAt", epochMillis(rollout.finishedAt));
		described.put("total", rollout.total);
		described.put("completed", rollout.completed);
		described.put("replacing", List.copyOf(rollout.inFlight));
		described.put("reason", rollout.reason);
		return described;
	}

	private static @Nullable Long epochMillis(@Nullable Instant instant) {
		return (instant != null) ? instant.toEpochMilli() : null;
	}

}
