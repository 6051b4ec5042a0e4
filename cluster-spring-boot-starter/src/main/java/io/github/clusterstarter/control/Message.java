package io.github.clusterstarter.control;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A control message: a JSON object with a {@code type}, sent as one line.
 */
public final class Message {

	/**
	 * Longest line accepted on the control channel, in characters.
	 */
	public static final int MAX_LENGTH = 1024 * 1024;

	private static final String TYPE = "type";

	private final Map<String, Object> fields;

	private Message(Map<String, Object> fields) {
		this.fields = Collections.unmodifiableMap(fields);
	}

	/**
	 * Create a message.
	 * @param type the message type
	 * @param keyValues alternating keys (strings) and values
	 * @return the message
	 */
	public static Message of(String type, Object... keyValues) {
		if (keyValues.length % 2 != 0) {
			throw new IllegalArgumentException("Keys and values must come in pairs");
		}
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put(TYPE, type);
		for (int i = 0; i < keyValues.length; i += 2) {
			fields.put((String) keyValues[i], keyValues[i + 1]);
		}
		return new Message(fields);
	}

	/**
	 * Parse a message from one line of JSON.
	 * @param json the JSON text
	 * @return the message
	 * @throws MalformedMessageException if it is not a JSON object with a string type
	 */
	@SuppressWarnings("unchecked")
	public static Message fromJson(String json) {
		if (json.length() > MAX_LENGTH) {
			throw new MalformedMessageException("Message longer than " + MAX_LENGTH + " characters");
		}
		Object value;
		try {
			value = Json.parse(json);
		}
		catch (JsonException ex) {
			throw new MalformedMessageException("Message is not valid JSON: " + ex.getMessage(), ex);
		}
		if (!(value instanceof Map<?, ?> map) || !(map.get(TYPE) instanceof String)) {
			throw new MalformedMessageException("Message is not a JSON object with a string 'type'");
		}
		return new Message((Map<String, Object>) map);
	}

	/**
	 * Return this message as one line of JSON, without the line end.
	 * @return the JSON text
	 */
	public String toJson() {
		return Json.write(this.fields);
	}

	/**
	 * Return the type of this message.
	 * @return the type
	 */
	public String type() {
		return (String) this.fields.get(TYPE);
	}

	/**
	 * Return a copy of this message with one more field.
	 * @param key the key
	 * @param value the value
	 * @return the new message
	 */
	public Message with(String key, @Nullable Object value) {
		Map<String, Object> fields = new LinkedHashMap<>(this.fields);
		fields.put(key, value);
		return new Message(fields);
	}

	/**
	 * Return a field.
	 * @param key the key
	 * @return the value, or {@code null}
	 */
	public @Nullable Object get(String key) {
		return this.fields.get(key);
	}

	public String getString(String key) {
		return required(key, String.class, "a string");
	}

	public long getLong(String key) {
		Number number = required(key, Number.class, "a number");
		if (number.doubleValue() != number.longValue()) {
			throw new MalformedMessageException("Field '" + key + "' must be a whole number");
		}
		return number.longValue();
	}

	public int getInt(String key) {
		long value = getLong(key);
		if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
			throw new MalformedMessageException("Field '" + key + "' is out of range");
		}
		return (int) value;
	}

	public boolean getBoolean(String key) {
		return required(key, Boolean.class, "a boolean");
	}

	@SuppressWarnings("unchecked")
	public Map<String, Object> getMap(String key) {
		return required(key, Map.class, "an object");
	}

	public List<?> getList(String key) {
		return required(key, List.class, "an array");
	}

	private <T> T required(String key, Class<T> type, String description) {
		Object value = this.fields.get(key);
		if (value == null) {
			throw new MalformedMessageException("Message '" + type() + "' has no field '" + key + "'");
		}
		if (!type.isInstance(value)) {
			throw new MalformedMessageException(
					"Field '" + key + "' of message '" + type() + "' must be " + description);
		}
		return type.cast(value);
	}

	/**
	 * Return the fields of this message.
	 * @return an unmodifiable map
	 */
	public Map<String, Object> asMap() {
		return this.fields;
	}

	@Override
	public String toString() {
		return toJson();
	}

}
