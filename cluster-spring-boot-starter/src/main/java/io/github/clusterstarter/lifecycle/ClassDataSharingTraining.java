package io.github.clusterstarter.lifecycle;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.clusterstarter.autoconfigure.ClusterWarmupProperties;
import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.warmup.ClusterWarmup;
import io.github.clusterstarter.warmup.WarmupListener;
import io.github.clusterstarter.warmup.WarmupListenerFactory;
import io.github.clusterstarter.warmup.WarmupPlan;
import io.github.clusterstarter.warmup.WorkerWarmup;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * What the class data sharing training run does, the single process the master starts to
 * write the archive. By default it exits once the context is refreshed, before the
 * application's lifecycle beans (web server, schedulers, message listeners) start. With
 * {@code cluster.worker.cds.train-with-warmup} it starts the application on a private
 * loopback port, sends itself the warm-up requests ({@code cluster.worker.warmup.*}) and
 * exits, so that the archive also holds what serving requests loads, and on Java 25 the
 * method profiles of those requests.
 */
final class ClassDataSharingTraining {

	static final String WITH_WARMUP = "cluster.worker.cds.train-with-warmup";

	private static final String PROPERTY_SOURCE_NAME = "clusterTraining";

	private ClassDataSharingTraining() {
	}

	static boolean isTrainingRun() {
		return System.getenv(WorkerIdentity.CDS_TRAINING_VARIABLE) != null;
	}

	/**
	 * Decide how the training run ends, before its context is created.
	 * @param environment the training run's environment
	 * @return whether it warms up and exits once the application is ready
	 */
	static boolean prepare(ConfigurableEnvironment environment) {
		if (!environment.getProperty(WITH_WARMUP, Boolean.class, false)) {
			// Read by Spring's lifecycle processor, which the refresh creates after this
			System.setProperty("spring.context.exit", "onRefresh");
			return false;
		}
		// Never the cluster's port, which the master holds
		environment.getPropertySources()
			.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME,
					Map.of("server.port", 0, "server.address", "127.0.0.1")));
		return true;
	}

	/**
	 * Send the warm-up requests to the application's own web server, then exit.
	 * @param context the training run's context, ready
	 */
	static void warmUpAndExit(ConfigurableApplicationContext context) {
		WebServer server = (context instanceof WebServerApplicationContext web) ? web.getWebServer() : null;
		WarmupListenerFactory ownPort = (webServer) -> Optional.of(new OwnPort(webServer.getPort()));
		new WorkerWarmup(WarmupPlan.of(ClusterWarmupProperties.get(Binder.get(context.getEnvironment()))),
				List.of(ownPort), context.getBeansOfType(ClusterWarmup.class), () -> server)
			.run();
		System.exit(SpringApplication.exit(context));
	}

	/**
	 * The training run's server listens on a private loopback port already.
	 */
	private record OwnPort(int port) implements WarmupListener {

		@Override
		public void close() {
		}

	}

}
