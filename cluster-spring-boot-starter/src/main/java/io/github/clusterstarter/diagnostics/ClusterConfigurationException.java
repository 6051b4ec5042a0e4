package io.github.clusterstarter.diagnostics;

/**
 * Thrown when the cluster cannot start because of its configuration or environment. It
 * carries the description and the action that {@link ClusterConfigurationFailureAnalyzer}
 * reports.
 */
public class ClusterConfigurationException extends RuntimeException {

	private final String action;

	/**
	 * Create a new exception.
	 * @param description what is wrong
	 * @param action what the user should do about it
	 */
	public ClusterConfigurationException(String description, String action) {
		super(description);
		this.action = action;
	}

	/**
	 * Return what the user should do about the failure.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

	/**
	 * Create an exception for a property whose value is invalid.
	 * @param property the property name
	 * @param value the invalid value
	 * @param expected what a valid value looks like
	 * @return the exception
	 */
	public static ClusterConfigurationException invalidProperty(String property, Object value, String expected) {
		return new ClusterConfigurationException(
				"Invalid value '%s' for property '%s': %s.".formatted(value, property, expected),
				"Update '%s' in your application's configuration (application.yml or .properties, "
						.formatted(property)
						+ "an environment variable or a command-line argument) to a valid value.");
	}

}
