package io.github.clusterstarter.diagnostics;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PerProcessDatabasesTests {

	@Test
	void inMemoryDatabasesAreReported() {
		for (String url : new String[] { "jdbc:h2:mem:orders", "jdbc:hsqldb:mem:orders",
				"jdbc:derby:memory:orders;create=true" }) {
			assertThat(PerProcessDatabases.check(environment(url), getClass().getClassLoader())).singleElement()
				.satisfies((state) -> assertThat(state.describe()).contains(url)
					.contains("Every worker has a database of its own")
					.contains("Fix: point spring.datasource.url at a database server"));
		}
	}

	@Test
	void databaseServersAndSharedH2FilesAreNotReported() {
		for (String url : new String[] { "jdbc:postgresql://127.0.0.1/orders", "jdbc:h2:tcp://127.0.0.1/~/orders",
				"jdbc:h2:file:/var/data/orders;AUTO_SERVER=TRUE", "jdbc:h2:./orders;MODE=PostgreSQL;auto_server=true" }) {
			assertThat(PerProcessDatabases.check(environment(url), getClass().getClassLoader())).as(url).isEmpty();
		}
	}

	@Test
	void noUrlAndNoEmbeddedDatabaseIsNotReported() {
		assertThat(PerProcessDatabases.check(new MockEnvironment(), getClass().getClassLoader())).isEmpty();
	}

	@Test
	void noUrlWithAnEmbeddedDatabaseOnTheClassPathIsReported() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.datasource.embedded-database-connection", "h2");
		assertThat(PerProcessDatabases.check(environment, getClass().getClassLoader())).singleElement()
			.satisfies((state) -> assertThat(state.what())
				.isEqualTo("an in-memory H2 database that Spring Boot creates because spring.datasource.url is not set"));
	}

	@Test
	void fileBasedH2WithoutAutoServerFailsWithAnAnalysis() {
		for (String url : new String[] { "jdbc:h2:file:/var/data/orders", "jdbc:h2:~/orders;MODE=MySQL",
				"jdbc:h2:./orders" }) {
			ClusterConfigurationException failure = catchThrowableOfType(ClusterConfigurationException.class,
					() -> PerProcessDatabases.check(environment(url), getClass().getClassLoader()));
			FailureAnalysis analysis = new ClusterConfigurationFailureAnalyzer().analyze(failure);
			assertThat(analysis.getDescription()).contains(url).contains("every other worker fails to start");
			assertThat(analysis.getAction()).contains(";AUTO_SERVER=TRUE");
		}
	}

	private static MockEnvironment environment(String url) {
		return new MockEnvironment().withProperty("spring.datasource.url", url);
	}

}
