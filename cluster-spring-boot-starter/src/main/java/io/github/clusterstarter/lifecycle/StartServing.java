package io.github.clusterstarter.lifecycle;

import io.github.clusterstarter.autoconfigure.ClusterProperties;
import io.github.clusterstarter.worker.AcceptGate;
import io.github.clusterstarter.worker.ServingCpu;
import io.github.clusterstarter.worker.ServingPriority;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Turns a ready worker, or a promoted standby, into a serving one: it takes the serving
 * workers' CPU priority and, with {@code cluster.worker.cpu-affinity=auto}, the CPU of its
 * worker id, then starts accepting connections.
 */
final class StartServing {

	private StartServing() {
	}

	static void as(int workerId, ConfigurableApplicationContext context) {
		ServingPriority.restore();
		ServingCpu.take(ClusterProperties.get(Binder.get(context.getEnvironment())).getWorker().getCpuAffinity(),
				workerId);
		context.getBean(AcceptGate.class).open();
	}

}
