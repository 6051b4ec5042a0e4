package io.github.clusterstarter.lifecycle;

import io.github.clusterstarter.worker.AcceptGate;
import io.github.clusterstarter.worker.ServingPriority;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Turns a ready worker, or a promoted standby, into a serving one: it takes the serving
 * workers' CPU priority, then starts accepting connections. With
 * {@code cluster.worker.cpu-affinity=auto} the master pins it to a CPU once it reports
 * ready.
 */
final class StartServing {

	private StartServing() {
	}

	static void in(ConfigurableApplicationContext context) {
		ServingPriority.restore();
		context.getBean(AcceptGate.class).open();
	}

}
