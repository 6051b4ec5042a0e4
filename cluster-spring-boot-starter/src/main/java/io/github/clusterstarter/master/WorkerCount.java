package io.github.clusterstarter.master;

import java.util.regex.Pattern;

import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Parses the {@code cluster.workers} property.
 */
public final class WorkerCount {

	/**
	 * Upper bound of workers per available processor; more only adds memory and context
	 * switches.
	 */
	static final int MAX_WORKERS_PER_PROCESSOR = 16;

	private static final String AUTO = "auto";

	private static final Pattern PLAIN_NUMBER = Pattern.compile("[1-9][0-9]{0,8}");

	private WorkerCount() {
	}

	/**
	 * Return whether the value asks for a cluster at all. Anything but absent, empty or
	 * {@code 0} does; an invalid value does too, so that it fails when the master starts.
	 * @param value the property value
	 * @return whether the application should run as a cluster
	 */
	public static boolean isClustered(@Nullable String value) {
		return StringUtils.hasText(value) && !"0".equals(value.trim());
	}

	/**
	 * Return the largest number of workers allowed.
	 * @param availableProcessors the processors available to the JVM
	 * @return the largest number of workers
	 */
	public static int max(int availableProcessors) {
		return MAX_WORKERS_PER_PROCESSOR * availableProcessors;
	}

	/**
	 * Parse the number of workers of a cluster: {@code auto}, or a plain whole number
	 * from 1, written without sign or leading zeros so that a typo such as {@code 00}
	 * never starts a master without workers.
	 * @param value the property value
	 * @param availableProcessors the processors available to the JVM
	 * @return the number of workers
	 * @throws ClusterConfigurationException if the value is invalid
	 */
	public static int parse(@Nullable String value, int availableProcessors) {
		String trimmed = (value != null) ? value.trim() : "";
		if (AUTO.equalsIgnoreCase(trimmed)) {
			return availableProcessors;
		}
		int max = max(availableProcessors);
		if (!PLAIN_NUMBER.matcher(trimmed).matches() || Integer.parseInt(trimmed) > max) {
			throw ClusterConfigurationException.invalidProperty("cluster.workers", value,
					"must be 'auto', 0 (no cluster) or a whole number from 1 to %d (%d per available processor)"
						.formatted(max, MAX_WORKERS_PER_PROCESSOR));
		}
		return Integer.parseInt(trimmed);
	}

}
