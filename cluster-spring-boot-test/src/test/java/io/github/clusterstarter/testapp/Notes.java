package io.github.clusterstarter.testapp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.clusterstarter.messaging.ClusterMessenger;

import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sends notes to other workers with the {@link ClusterMessenger} and records the notes it
 * receives.
 */
@RestController
class Notes {

	private final ClusterMessenger messenger;

	private final Environment environment;

	private final List<String> received = new CopyOnWriteArrayList<>();

	Notes(ClusterMessenger messenger, Environment environment) {
		this.messenger = messenger;
		this.environment = environment;
	}

	@PostMapping("/notes/broadcast")
	int broadcast(@RequestParam String text) {
		return this.messenger.broadcast(new Note(text));
	}

	@PostMapping("/notes/send")
	void send(@RequestParam int to, @RequestParam String text) {
		this.messenger.send(to, new Note(text));
	}

	@GetMapping("/notes")
	Map<String, Object> notes() {
		return Map.of("worker", this.environment.getProperty("cluster.worker.id", Integer.class, 0), "received",
				this.received);
	}

	@EventListener
	void on(Note note) {
		this.received.add(note.text());
	}

	record Note(String text) {
	}

}
