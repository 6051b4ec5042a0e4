package io.github.clusterstarter.lifecycle;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import io.github.clusterstarter.diagnostics.PerProcessDatabases;
import io.github.clusterstarter.diagnostics.PinnedCpus;
import io.github.clusterstarter.master.ClusterSettings;
import io.github.clusterstarter.socket.InheritedSocket;
import io.github.clusterstarter.warmup.WorkerWarmup;
import io.github.clusterstarter.worker.MasterConnection;
import io.github.clusterstarter.worker.WorkerBuild;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;

/**
 * Entry point of cluster mode. Once the environment is prepared and logging is set up,
 * it decides the role of this process: a master runs the cluster in place of the
 * application's context and exits, a worker connects to its master and reports when
 * the application is ready or failed, and a standalone process is left alone. Spring
 * Boot creates one listener for each {@link SpringApplication}.
 */
class ClusterApplicationListener implements SmartApplicationListener {

	private static final Log logger = LogFactory.getLog(ClusterApplicationListener.class);

	private @Nullable MasterConnection connection;

	private @Nullable CompletableFuture<Void> nativeLibrary;

	private boolean trainingWithWarmup;

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType)
				|| ApplicationPreparedEvent.class.isAssignableFrom(eventType)
				|| ApplicationReadyEvent.class.isAssignableFrom(eventType)
				|| ApplicationFailedEvent.class.isAssignableFrom(eventType);
	}

	@Override
	public int getOrder() {
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		MasterConnection connection = this.connection;
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			onEnvironmentPrepared(prepared);
		}
		else if (event instanceof ApplicationPreparedEvent prepared && connection != null) {
			prepared.getApplicationContext().getBeanFactory().registerSingleton(MasterConnection.BEAN_NAME, connection);
		}
		else if (event instanceof ApplicationReadyEvent ready && this.trainingWithWarmup) {
			ClassDataSharingTraining.warmUpAndExit(ready.getApplicationContext());
		}
		else if (event instanceof ApplicationReadyEvent ready && connection != null) {
			awaitNativeLibrary();
			// Before the gate opens and the master hears of it: a rollout keeps the old worker
			// serving until this one is warm, and a standby waits warm
			ready.getApplicationContext().getBeanProvider(WorkerWarmup.class).ifAvailable(WorkerWarmup::run);
			if (connection.isStandby()) {
				new StandbyPromotion(connection, ready.getApplicationContext()).awaitPromotion();
			}
			else {
				StartServing.in(ready.getApplicationContext());
			}
			connection.send(new ControlMessage.Ready(WorkerBuild.describe(ready.getSpringApplication()
				.getMainApplicationClass())));
		}
		else if (event instanceof ApplicationFailedEvent failed && connection != null) {
			connection.send(new ControlMessage.Failed(rootCause(failed.getException())));
		}
	}

	private static String rootCause(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getName() + ((root.getMessage() != null) ? ": " + root.getMessage() : "");
	}

	private void onEnvironmentPrepared(ApplicationEnvironmentPreparedEvent event) {
		SpringApplication application = event.getSpringApplication();
		ClusterRole role = ClusterRole.of(event.getEnvironment(), application.getClassLoader());
		if (role == ClusterRole.MASTER) {
			// Invalid settings fail here, before the banner
			ClusterSettings settings = ClusterSettingsReader.read(event.getEnvironment(),
					application.getWebApplicationType(), application.getClassLoader());
			// The master reports what every worker would have a copy of, so that it is reported once
			PerProcessDatabases.check(event.getEnvironment(), application.getClassLoader())
				.forEach((state) -> logger.warn(state.describe()));
			PinnedCpus.check(settings.servingCpus()).ifPresent(logger::warn);
			application.setApplicationContextFactory(
					new ClusterMasterContextFactory(settings, Arrays.asList(event.getArgs()), event.getEnvironment(),
							ClusterRole.isPreparingClassDataSharing(event.getEnvironment())));
		}
		else if (role == ClusterRole.WORKER && this.connection == null) {
			this.connection = startWorker(ClusterRole.workerIdentity().orElseThrow());
		}
		else if (ClassDataSharingTraining.isTrainingRun()) {
			this.trainingWithWarmup = ClassDataSharingTraining.prepare(event.getEnvironment());
		}
	}

	private MasterConnection startWorker(WorkerIdentity identity) {
		if (InheritedSocket.listeningChannel().isEmpty()) {
			throw new ClusterConfigurationException(
					"Worker %d was started without the cluster's listening socket on its standard input (fd 0)."
						.formatted(identity.workerId()),
					"Workers are started by the cluster master. Start the application normally, and do not set "
							+ "the BOOT_CLUSTER_* environment variables yourself.");
		}
		this.nativeLibrary = InheritedSocket.preloadNative();
		return MasterConnection.connect(identity);
	}

	/**
	 * A worker needs the native library to stop accepting without dropping requests, so
	 * one that cannot load it fails to start rather than serve.
	 */
	private void awaitNativeLibrary() {
		CompletableFuture<Void> loaded = this.nativeLibrary;
		try {
			if (loaded != null) {
				loaded.join();
			}
		}
		catch (CompletionException ex) {
			throw new IllegalStateException("Cannot load the native library (JNA) that workers need: "
					+ ex.getCause().getMessage(), ex.getCause());
		}
	}

}
