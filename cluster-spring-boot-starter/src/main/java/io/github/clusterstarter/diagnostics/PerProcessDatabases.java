package io.github.clusterstarter.diagnostics;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Finds the databases that Spring Boot would open inside each worker's process, read by
 * the master from the same properties that its workers bind: an in-memory database is
 * one database per worker, and a file-based H2 database is locked by the first worker,
 * so that every other one fails to start.
 */
public final class PerProcessDatabases {

	private static final String URL_PROPERTY = "spring.datasource.url";

	private static final String DATABASE_DRIVER = "org.springframework.boot.jdbc.DatabaseDriver";

	private PerProcessDatabases() {
	}

	/**
	 * Check the application's data source.
	 * @param environment the application's environment
	 * @param classLoader the application's class loader
	 * @return the in-memory databases that every worker would have a copy of
	 * @throws ClusterConfigurationException if the workers would share a file-based H2
	 * database that only one process can open
	 */
	public static List<PerProcessState> check(Environment environment, @Nullable ClassLoader classLoader) {
		if (!ClassUtils.isPresent(DATABASE_DRIVER, classLoader)) {
			// Without spring-boot-jdbc, Spring Boot opens no database
			return List.of();
		}
		return Jdbc.check(environment, classLoader);
	}

	/**
	 * The checks that need spring-boot-jdbc, in a class that is loaded only when it is
	 * there.
	 */
	private static final class Jdbc {

		static List<PerProcessState> check(Environment environment, @Nullable ClassLoader classLoader) {
			Binder binder = Binder.get(environment);
			String url = binder.bind(URL_PROPERTY, String.class).map(String::trim).orElse(null);
			if (!StringUtils.hasText(url)) {
				EmbeddedDatabaseConnection embedded = binder
					.bind("spring.datasource.embedded-database-connection", EmbeddedDatabaseConnection.class)
					.orElseGet(() -> EmbeddedDatabaseConnection.get(classLoader));
				return (embedded != EmbeddedDatabaseConnection.NONE) ? List.of(inMemory("in-memory " + embedded.name() + " database "
						+ "that Spring Boot creates because " + URL_PROPERTY + " is not set")) : List.of();
			}
			DatabaseDriver driver = DatabaseDriver.fromJdbcUrl(url);
			if (EmbeddedDatabaseConnection.isEmbedded(driver.getDriverClassName(), url)) {
				return List.of(inMemory("in-memory database " + url));
			}
			if (driver == DatabaseDriver.H2 && isFileWithoutAutoServer(url)) {
				throw new ClusterConfigurationException(("%s is the file-based H2 database %s. The first worker that "
						+ "opens it locks its file, so every other worker fails to start.").formatted(URL_PROPERTY, url),
						"Add ';AUTO_SERVER=TRUE' to %s so that the first worker serves the file to the others, ".formatted(
								URL_PROPERTY)
								+ "or use a database server (jdbc:h2:tcp://..., PostgreSQL, ...).");
			}
			return List.of();
		}

	}

	private static PerProcessState inMemory(String what) {
		return new PerProcessState("an " + what,
				"Every worker has a database of its own: what one worker writes, the others never read",
				"point " + URL_PROPERTY + " at a database server, or at a file-based H2 database with "
						+ "';AUTO_SERVER=TRUE' for development");
	}

	private static boolean isFileWithoutAutoServer(String url) {
		String[] parts = url.substring("jdbc:h2:".length()).split(";");
		String location = parts[0].toLowerCase(Locale.ROOT);
		boolean server = location.startsWith("tcp:") || location.startsWith("ssl:") || location.startsWith("mem:");
		return !server && Arrays.stream(parts)
			.skip(1)
			.map((setting) -> setting.replace(" ", "").toUpperCase(Locale.ROOT))
			.noneMatch("AUTO_SERVER=TRUE"::equals);
	}

}
