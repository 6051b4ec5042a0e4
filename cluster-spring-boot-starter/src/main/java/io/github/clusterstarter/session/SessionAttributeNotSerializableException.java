package io.github.clusterstarter.session;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when an application stores a session attribute that cannot be serialized: the
 * sessions of a cluster are shared between its workers in serialized form.
 */
public class SessionAttributeNotSerializableException extends IllegalArgumentException {

	private final String attributeName;

	SessionAttributeNotSerializableException(String attributeName, Object value, @Nullable String offendingType,
			@Nullable Throwable cause) {
		super(message(attributeName, value, offendingType, cause), cause);
		this.attributeName = attributeName;
	}

	private static String message(String attributeName, Object value, @Nullable String offendingType,
			@Nullable Throwable cause) {
		String type = value.getClass().getName();
		String what = (offendingType == null) ? "cannot be serialized (" + cause + ")"
				: offendingType.equals(type) ? "is not Serializable"
						: "refers to a " + offendingType + ", which is not Serializable";
		return ("Session attribute '%s' (a %s) %s. The workers of a cluster share sessions, which they keep "
				+ "serialized: make it Serializable (or mark the field transient), store something that is, or set "
				+ "cluster.sessions.shared=false to keep sessions per worker").formatted(attributeName, type, what);
	}

	/**
	 * Return the name of the attribute.
	 * @return the name
	 */
	public String getAttributeName() {
		return this.attributeName;
	}

}
