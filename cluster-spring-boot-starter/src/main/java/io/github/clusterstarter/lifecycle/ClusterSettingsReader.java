package io.github.clusterstarter.lifecycle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.github.clusterstarter.autoconfigure.ClusterProperties;
import io.github.clusterstarter.autoconfigure.ClusterWarmupProperties;
import io.github.clusterstarter.autoconfigure.ClusterWorkerProperties;
import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import io.github.clusterstarter.master.CdsCacheDirectory;
import io.github.clusterstarter.master.SharedSessions;
import io.github.clusterstarter.master.ClusterSettings;
import io.github.clusterstarter.master.CpuAffinity;
import io.github.clusterstarter.master.PrivateDirectory;
import io.github.clusterstarter.master.WorkerCount;
import io.github.clusterstarter.socket.ThreadAffinity;
import io.github.clusterstarter.socket.ThreadNiceness;
import io.github.clusterstarter.warmup.WarmupPlan;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Reads the master's {@link ClusterSettings} from the environment before any of the
 * application's beans exist, and fails fast, with a message for the
 * {@link io.github.clusterstarter.diagnostics.ClusterConfigurationFailureAnalyzer}, on
 * anything invalid.
 */
final class ClusterSettingsReader {

	private static final Duration DEFAULT_SHUTDOWN_PHASE = Duration.ofSeconds(30);

	private static final Duration STOP_MARGIN = Duration.ofSeconds(10);

	// Longer would only keep a client that sends nothing out of the server's own timeouts
	private static final Duration MAX_DEFER_ACCEPT = Duration.ofSeconds(60);

	private ClusterSettingsReader() {
	}

	private static final String TOMCAT_FACTORY = "org.springframework.boot.tomcat.TomcatWebServerFactory";

	private static final String JETTY_FACTORY = "org.springframework.boot.jetty.JettyWebServerFactory";

	private static final String NETTY_FACTORY = "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory";

	/**
	 * Read and validate the settings.
	 * @param environment the application's environment
	 * @param webApplicationType the type of the application
	 * @param classLoader the application's class loader
	 * @return the settings
	 * @throws ClusterConfigurationException if they are invalid
	 */
	static ClusterSettings read(Environment environment, WebApplicationType webApplicationType,
			@Nullable ClassLoader classLoader) {
		Binder binder = Binder.get(environment);
		ClusterProperties properties = ClusterProperties.get(binder);
		// The prepare step of an image build may run without cluster.workers: it starts no worker
		int workers = (properties.getWorker().getCds().isPrepare() && !WorkerCount.isClustered(properties.getWorkers()))
				? 1 : WorkerCount.parse(properties.getWorkers(), Runtime.getRuntime().availableProcessors());
		checkOperatingSystem();
		checkWebApplication(webApplicationType, classLoader);
		int port = binder.bind("server.port", Integer.class).orElse(8080);
		if (port < 0 || port > 65535) {
			throw ClusterConfigurationException.invalidProperty("server.port", port,
					"the cluster needs a port between 0 and 65535 to listen on (0 picks a free one)");
		}
		checkManagementPort(binder, port);
		String address = binder.bind("server.address", String.class).map(String::trim).orElse(null);
		String host = StringUtils.hasText(address) ? address : null;
		ClusterWorkerProperties worker = properties.getWorker();
		requirePositive("cluster.backlog", properties.getBacklog());
		checkDeferAccept(properties.getDeferAccept());
		requirePositive("cluster.shutdown-timeout", properties.getShutdownTimeout());
		requirePositive("cluster.worker.ready-timeout", worker.getReadyTimeout());
		requirePositive("cluster.worker.max-boot-failures", worker.getMaxBootFailures());
		requirePositive("cluster.worker.restart-backoff.initial", worker.getRestartBackoff().getInitial());
		requirePositive("cluster.worker.restart-backoff.max", worker.getRestartBackoff().getMax());
		requirePositive("cluster.rollout.batch-size", properties.getRollout().getBatchSize());
		if (worker.getTimeout().isNegative()) {
			throw ClusterConfigurationException.invalidProperty("cluster.worker.timeout", worker.getTimeout(),
					"must not be negative (0 turns the watchdog off)");
		}
		requireNotNegative("cluster.worker.max-requests", worker.getMaxRequests());
		requireNotNegative("cluster.worker.standby", worker.getStandby());
		if (worker.getBootNiceness() < 0 || worker.getBootNiceness() > ThreadNiceness.MAX) {
			throw ClusterConfigurationException.invalidProperty("cluster.worker.boot-niceness",
					worker.getBootNiceness(), "must be from 0 (boot at the master's priority) to " + ThreadNiceness.MAX);
		}
		requireNotNegative("cluster.worker.max-requests-jitter", worker.getMaxRequestsJitter());
		long maxMemory = (worker.getMaxMemory() != null) ? worker.getMaxMemory().toBytes() : 0;
		requireNotNegative("cluster.worker.max-memory", maxMemory);
		Integer startConcurrency = worker.getStartConcurrency();
		if (startConcurrency != null) {
			requirePositive("cluster.worker.start-concurrency", startConcurrency);
		}
		int concurrency = (startConcurrency != null) ? startConcurrency
				: Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
		if (properties.getShutdownDelay().isNegative()) {
			throw ClusterConfigurationException.invalidProperty("cluster.shutdown-delay", properties.getShutdownDelay(),
					"must not be negative (0 stops at once)");
		}
		// Used by the workers, and checked here so that a mistake fails before any of them boots
		WarmupPlan.of(ClusterWarmupProperties.get(binder));
		return new ClusterSettings(workers, host, port, properties.getBacklog(), properties.getDeferAccept(),
				properties.getShutdownTimeout(),
				properties.getShutdownDelay(),
				worker.getReadyTimeout(), stopTimeout(binder, worker), concurrency, worker.getMaxBootFailures(),
				worker.getRestartBackoff().getInitial(), worker.getRestartBackoff().getMax(),
				worker.getRestartBackoff().getResetAfter(), List.copyOf(worker.getJvmArgs()),
				properties.getRollout().getBatchSize(), WorkerCount.max(Runtime.getRuntime().availableProcessors()),
				worker.getTimeout(), worker.getMaxRequests(), worker.getMaxRequestsJitter(), maxMemory,
				worker.isExitOnOutOfMemory(), cdsDirectory(worker.getCds()),
				sessionsDirectory(properties.getSessions()),
				worker.getStandby(), worker.getBootNiceness(), servingCpus(worker.getCpuAffinity()));
	}

	private static List<Integer> servingCpus(CpuAffinity affinity) {
		// The master's own, which nothing pins: the workers inherit them
		return (affinity == CpuAffinity.AUTO) ? ThreadAffinity.ofCallingThread() : List.of();
	}

	private static void checkDeferAccept(Duration deferAccept) {
		if (deferAccept.isNegative() || deferAccept.toNanosPart() != 0 || deferAccept.compareTo(MAX_DEFER_ACCEPT) > 0) {
			throw ClusterConfigurationException.invalidProperty("cluster.defer-accept", deferAccept,
					"must be whole seconds from 0 (accept every connection when its handshake completes) to "
							+ MAX_DEFER_ACCEPT.toSeconds() + "s");
		}
	}

	/**
	 * A worker's stop takes its drain, then each of Spring's shutdown phases, then the
	 * JVM's exit: by default it may take the drain timeout, one shutdown phase and a
	 * margin for the rest.
	 */
	private static Duration stopTimeout(Binder binder, ClusterWorkerProperties worker) {
		if (worker.getStopTimeout() != null) {
			requirePositive("cluster.worker.stop-timeout", worker.getStopTimeout());
			return worker.getStopTimeout();
		}
		Duration phase = binder.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(DEFAULT_SHUTDOWN_PHASE);
		return worker.getDrainTimeout().plus(phase).plus(STOP_MARGIN);
	}

	private static PrivateDirectory.@Nullable Location cdsDirectory(ClusterWorkerProperties.Cds cds) {
		if (!cds.isEnabled()) {
			if (cds.isPrepare()) {
				throw new ClusterConfigurationException(
						"cluster.worker.cds.prepare is set, but class data sharing is off (cluster.worker.cds.enabled"
								+ "=false).",
						"Remove cluster.worker.cds.enabled=false from the prepare step, or remove the step.");
			}
			return null;
		}
		Path path = StringUtils.hasText(cds.getDirectory()) ? Path.of(cds.getDirectory())
				: CdsCacheDirectory.defaultLocation(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"),
						System.getProperty("java.io.tmpdir"));
		return new PrivateDirectory.Location(path, cds.isTrustWritableParents());
	}

	private static PrivateDirectory.@Nullable Location sessionsDirectory(ClusterProperties.Sessions sessions) {
		requirePositive("cluster.sessions.cleanup-interval", sessions.getCleanupInterval());
		if (!sessions.isShared()) {
			return null;
		}
		Path path = StringUtils.hasText(sessions.getDirectory()) ? Path.of(sessions.getDirectory())
				: SharedSessions.defaultLocation(System.getProperty("java.io.tmpdir"));
		return new PrivateDirectory.Location(path, sessions.isTrustWritableParents());
	}

	private static void checkOperatingSystem() {
		String os = System.getProperty("os.name", "");
		if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
			throw new ClusterConfigurationException(
					"cluster.workers is set, but cluster mode runs on Linux only and this is " + os + ".",
					"Remove cluster.workers (or set it to 0) on this machine to run a single process.");
		}
	}

	/**
	 * Fail fast when no worker could serve the shared socket. Which server the workers
	 * run is only known once Spring Boot creates it there, and a worker checks it again
	 * ({@link io.github.clusterstarter.worker.WebServerFactoryCheck}).
	 */
	private static void checkWebApplication(WebApplicationType type, @Nullable ClassLoader classLoader) {
		if (type == WebApplicationType.NONE) {
			throw new ClusterConfigurationException(
					"cluster.workers is set, but this application is not a web application. The cluster shares "
							+ "one listening socket between workers that serve it with an embedded web server.",
					"Depend on spring-boot-starter-webmvc or spring-boot-starter-webflux, "
							+ "or remove cluster.workers to run a single process.");
		}
		boolean servlet = type == WebApplicationType.SERVLET;
		List<String> servers = servlet ? List.of(TOMCAT_FACTORY, JETTY_FACTORY)
				: List.of(NETTY_FACTORY, TOMCAT_FACTORY, JETTY_FACTORY);
		if (servers.stream().noneMatch((server) -> ClassUtils.isPresent(server, classLoader))) {
			throw new ClusterConfigurationException("cluster.workers is set, but this "
					+ (servlet ? "servlet" : "reactive") + " web application has no embedded web server that the "
					+ "cluster can share its listening socket with: Spring Boot's Tomcat or Jetty"
					+ (servlet ? "" : " or Reactor Netty") + " server.",
					"Depend on spring-boot-starter-" + (servlet ? "webmvc" : "webflux")
							+ " with its default server (or spring-boot-starter-jetty), "
							+ "or remove cluster.workers to run a single process.");
		}
	}

	private static void checkManagementPort(Binder binder, int serverPort) {
		Integer managementPort = binder.bind("management.server.port", Integer.class).orElse(null);
		if (managementPort != null && managementPort >= 0 && managementPort != serverPort) {
			throw new ClusterConfigurationException(
					"management.server.port (" + managementPort + ") differs from server.port (" + serverPort
							+ "). A cluster shares exactly one listening socket between its workers; a second "
							+ "port would be bound by every worker and clash.",
					"Remove management.server.port so that the actuator is served on the application's port, "
							+ "or set it to -1 to disable HTTP management endpoints.");
		}
	}

	private static void requirePositive(String property, int value) {
		if (value < 1) {
			throw ClusterConfigurationException.invalidProperty(property, value, "must be 1 or more");
		}
	}

	private static void requireNotNegative(String property, long value) {
		if (value < 0) {
			throw ClusterConfigurationException.invalidProperty(property, value, "must not be negative");
		}
	}

	private static void requirePositive(String property, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw ClusterConfigurationException.invalidProperty(property, value, "must be a positive duration");
		}
	}

}
