package io.github.clusterstarter.lifecycle;

import java.io.IOException;

import java.nio.file.Path;
import java.time.Duration;

import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import io.github.clusterstarter.master.ClusterSettings;
import io.github.clusterstarter.master.PrivateDirectory;
import io.github.clusterstarter.socket.ProcCpus;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.jetty.JettyWebServerFactory;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ClusterSettingsReaderTests {

	private final MockEnvironment environment = new MockEnvironment().withProperty("cluster.workers", "2");

	private ClusterSettings settings() {
		return ClusterSettingsReader.read(this.environment, WebApplicationType.SERVLET, getClass().getClassLoader());
	}

	@Test
	void defaults() {
		ClusterSettings settings = settings();
		assertThat(settings.workers()).isEqualTo(2);
		assertThat(settings.host()).isNull();
		assertThat(settings.port()).isEqualTo(8080);
		assertThat(settings.backlog()).isEqualTo(511);
		assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(settings.shutdownDelay()).isZero();
		assertThat(settings.readyTimeout()).isEqualTo(Duration.ofSeconds(90));
		assertThat(settings.maxBootFailures()).isEqualTo(5);
		assertThat(settings.startConcurrency()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
		assertThat(settings.jvmArgs()).isEmpty();
	}

	@Test
	void bindsEverySetting() {
		this.environment.withProperty("server.address", "127.0.0.1")
			.withProperty("server.port", "0")
			.withProperty("cluster.backlog", "64")
			.withProperty("cluster.shutdown-timeout", "5s")
			.withProperty("cluster.shutdown-delay", "3s")
			.withProperty("cluster.worker.ready-timeout", "20s")
			.withProperty("cluster.worker.start-concurrency", "3")
			.withProperty("cluster.worker.max-boot-failures", "2")
			.withProperty("cluster.worker.restart-backoff.initial", "100ms")
			.withProperty("cluster.worker.restart-backoff.max", "2s")
			.withProperty("cluster.worker.restart-backoff.reset-after", "10s")
			.withProperty("cluster.worker.jvm-args[0]", "-Xmx128m");
		ClusterSettings settings = settings();
		assertThat(settings.host()).isEqualTo("127.0.0.1");
		assertThat(settings.port()).isZero();
		assertThat(settings.backlog()).isEqualTo(64);
		assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.shutdownDelay()).isEqualTo(Duration.ofSeconds(3));
		assertThat(settings.readyTimeout()).isEqualTo(Duration.ofSeconds(20));
		assertThat(settings.startConcurrency()).isEqualTo(3);
		assertThat(settings.maxBootFailures()).isEqualTo(2);
		assertThat(settings.initialBackoff()).isEqualTo(Duration.ofMillis(100));
		assertThat(settings.maxBackoff()).isEqualTo(Duration.ofSeconds(2));
		assertThat(settings.backoffResetAfter()).isEqualTo(Duration.ofSeconds(10));
		assertThat(settings.jvmArgs()).containsExactly("-Xmx128m");
	}

	@Test
	void bindsTheOptInsForDirectoriesInAnEmptyDir() {
		this.environment.withProperty("cluster.worker.cds.directory", "/cache/cds")
			.withProperty("cluster.worker.cds.trust-writable-parents", "true")
			.withProperty("cluster.sessions.directory", "/cache/sessions")
			.withProperty("cluster.sessions.trust-writable-parents", "true");
		ClusterSettings settings = settings();
		assertThat(settings.cdsDirectory()).isEqualTo(new PrivateDirectory.Location(Path.of("/cache/cds"), true));
		assertThat(settings.sessionsDirectory())
			.isEqualTo(new PrivateDirectory.Location(Path.of("/cache/sessions"), true));
	}

	@Test
	void preparingTheArchiveNeedsNoWorkersButNeedsClassDataSharing() {
		MockEnvironment build = new MockEnvironment().withProperty("cluster.worker.cds.prepare", "true");
		assertThat(ClusterRole.isPreparingClassDataSharing(build)).isTrue();
		assertThat(ClusterSettingsReader.read(build, WebApplicationType.SERVLET, getClass().getClassLoader()).workers())
			.isEqualTo(1);
		build.withProperty("cluster.worker.cds.enabled", "false");
		assertThatExceptionOfType(ClusterConfigurationException.class)
			.isThrownBy(
					() -> ClusterSettingsReader.read(build, WebApplicationType.SERVLET, getClass().getClassLoader()))
			.withMessageContaining("cluster.worker.cds.prepare is set, but class data sharing is off");
	}

	@Test
	void rejectsPortOutOfRange() {
		this.environment.withProperty("server.port", "70000");
		assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(this::settings)
			.withMessageContaining("Invalid value '70000' for property 'server.port'");
	}

	@Test
	void rejectsNegativeShutdownDelay() {
		this.environment.withProperty("cluster.shutdown-delay", "-1s");
		assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(this::settings)
			.withMessageContaining("Invalid value 'PT-1S' for property 'cluster.shutdown-delay'");
	}

	@Test
	void bootNicenessDefaultsToTenAndMustBeANiceValueToAdd() {
		assertThat(settings().bootNiceness()).isEqualTo(10);
		this.environment.withProperty("cluster.worker.boot-niceness", "0");
		assertThat(settings().bootNiceness()).isZero();
		for (String invalid : new String[] { "20", "-5" }) {
			this.environment.withProperty("cluster.worker.boot-niceness", invalid);
			assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(this::settings)
				.withMessageContaining("Invalid value '%s' for property 'cluster.worker.boot-niceness'".formatted(invalid))
				.withMessageContaining("must be from 0 (boot at the master's priority) to 19");
		}
	}

	@Test
	void cpuAffinityAutoPinsToTheMastersCpusAndAnUnknownValueFails() throws IOException {
		assertThat(settings().servingCpus()).isEmpty();
		this.environment.withProperty("cluster.worker.cpu-affinity", "auto");
		assertThat(settings().servingCpus()).isEqualTo(ProcCpus.ofCallingThread());
		this.environment.withProperty("cluster.worker.cpu-affinity", "sometimes");
		assertThatExceptionOfType(BindException.class).isThrownBy(this::settings)
			.satisfies((ex) -> assertThat(ex.getProperty().getName()).hasToString("cluster.worker.cpu-affinity"));
	}

	@Test
	void deferAcceptDefaultsToOneSecondAndMustBeWholeSecondsUpToAMinute() {
		assertThat(settings().deferAccept()).isEqualTo(Duration.ofSeconds(1));
		this.environment.withProperty("cluster.defer-accept", "0");
		assertThat(settings().deferAccept()).isZero();
		this.environment.withProperty("cluster.defer-accept", "1m");
		assertThat(settings().deferAccept()).isEqualTo(Duration.ofSeconds(60));
		for (String invalid : new String[] { "-1s", "1500ms", "61s" }) {
			this.environment.withProperty("cluster.defer-accept", invalid);
			assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(this::settings)
				.withMessageContaining("Invalid value '%s' for property 'cluster.defer-accept'"
					.formatted(DurationStyle.detectAndParse(invalid)))
				.withMessageContaining("must be whole seconds from 0");
		}
	}

	@Test
	void rejectsDisabledWebServer() {
		this.environment.withProperty("server.port", "-1");
		assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(this::settings)
			.withMessageContaining("'server.port'");
	}

	@Test
	void rejectsSeparateManagementPort() {
		this.environment.withProperty("management.server.port", "9090");
		assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(this::settings)
			.withMessageContaining("management.server.port (9090) differs from server.port (8080)");
	}

	@Test
	void rejectsNonPositiveValues() {
		this.environment.withProperty("cluster.worker.max-boot-failures", "0");
		assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(this::settings)
			.withMessageContaining("'cluster.worker.max-boot-failures': must be 1 or more");
	}

	@Test
	void acceptsServletAndReactiveApplicationsOnEveryServer() {
		ClassLoader classLoader = getClass().getClassLoader();
		assertThat(ClusterSettingsReader.read(this.environment, WebApplicationType.REACTIVE, classLoader).workers())
			.isEqualTo(2);
		assertThat(ClusterSettingsReader.read(this.environment, WebApplicationType.SERVLET,
				new FilteredClassLoader(TomcatWebServerFactory.class))
			.workers()).isEqualTo(2);
		assertThat(ClusterSettingsReader.read(this.environment, WebApplicationType.REACTIVE,
				new FilteredClassLoader(TomcatWebServerFactory.class, JettyWebServerFactory.class))
			.workers()).isEqualTo(2);
	}

	@Test
	void rejectsApplicationsThatAreNotWebApplications() {
		assertThatExceptionOfType(ClusterConfigurationException.class)
			.isThrownBy(() -> ClusterSettingsReader.read(this.environment, WebApplicationType.NONE, null))
			.withMessageContaining("this application is not a web application");
	}

	@Test
	void rejectsWebApplicationsWithoutAServerTheClusterSupports() {
		FilteredClassLoader noServer = new FilteredClassLoader(TomcatWebServerFactory.class,
				JettyWebServerFactory.class);
		assertThatExceptionOfType(ClusterConfigurationException.class)
			.isThrownBy(() -> ClusterSettingsReader.read(this.environment, WebApplicationType.SERVLET, noServer))
			.withMessageContaining("this servlet web application has no embedded web server")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("spring-boot-starter-webmvc"));
	}

	@Test
	void invalidWarmupFailsInTheMasterBeforeAnyWorkerBoots() {
		this.environment.withProperty("cluster.worker.warmup.paths", "orders");
		assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(this::settings)
			.withMessageContaining("'cluster.worker.warmup.paths[0]'");
	}

}
