package io.github.clusterstarter.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;

import org.springframework.core.serializer.DefaultDeserializer;
import org.springframework.core.serializer.DefaultSerializer;

/**
 * Turns session attributes into bytes and back with Java serialization, as a servlet
 * container that persists or replicates sessions does, with the application's class
 * loader.
 */
final class SessionAttributeSerializer {

	private final DefaultSerializer serializer = new DefaultSerializer();

	private final DefaultDeserializer deserializer;

	SessionAttributeSerializer(ClassLoader classLoader) {
		this.deserializer = new DefaultDeserializer(classLoader);
	}

	/**
	 * Serialize an attribute.
	 * @param name its name, for the message if it cannot be serialized
	 * @param value its value
	 * @return the bytes
	 * @throws SessionAttributeNotSerializableException if the value cannot be serialized
	 */
	byte[] serialize(String name, Object value) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
		try {
			this.serializer.serialize(value, bytes);
		}
		catch (NotSerializableException ex) {
			throw new SessionAttributeNotSerializableException(name, value, ex.getMessage(), ex);
		}
		catch (IOException | RuntimeException ex) {
			throw new SessionAttributeNotSerializableException(name, value, null, ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Deserialize an attribute.
	 * @param bytes its bytes
	 * @return the value
	 * @throws IOException if it cannot be deserialized, for example because its class
	 * changed incompatibly since it was stored
	 */
	Object deserialize(byte[] bytes) throws IOException {
		return this.deserializer.deserialize(new ByteArrayInputStream(bytes));
	}

}
