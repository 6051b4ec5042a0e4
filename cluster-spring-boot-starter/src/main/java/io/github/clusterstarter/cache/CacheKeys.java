package io.github.clusterstarter.cache;

import org.jspecify.annotations.Nullable;

import org.springframework.core.serializer.DefaultDeserializer;
import org.springframework.core.serializer.DefaultSerializer;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.core.serializer.support.SerializationFailedException;
import org.springframework.core.serializer.support.SerializingConverter;

/**
 * Turns cache keys into bytes and back with Java serialization, so that any key that an
 * in-process cache can hold by value ({@code SimpleKey}, strings, records and other
 * {@link java.io.Serializable} types) reaches the other workers as the same key: JSON
 * would lose the type of a key that the cache compares with {@code equals}. The bytes
 * come only from workers of the same cluster, which authenticate to the master.
 */
final class CacheKeys {

	private final SerializingConverter serializer = new SerializingConverter(new DefaultSerializer());

	private final DeserializingConverter deserializer;

	CacheKeys(@Nullable ClassLoader classLoader) {
		this.deserializer = new DeserializingConverter(new DefaultDeserializer(classLoader));
	}

	/**
	 * Serialize a key.
	 * @param cacheName the cache, for the message
	 * @param key the key
	 * @return its bytes
	 * @throws CacheEvictionException if the key cannot be serialized
	 */
	byte[] write(String cacheName, Object key) {
		try {
			return this.serializer.convert(key);
		}
		catch (SerializationFailedException | IllegalArgumentException ex) {
			throw new CacheEvictionException(("Cannot evict a key of type %s from cache '%s' on every worker: the key "
					+ "cannot be sent to the other workers with Java serialization (%s). Make the key type (and "
					+ "everything it holds) Serializable, or use a key generator or key expression that produces "
					+ "one.").formatted(key.getClass().getName(), cacheName, rootMessage(ex)), ex);
		}
	}

	/**
	 * Read a key that another worker serialized.
	 * @param bytes the key's bytes
	 * @return the key
	 * @throws SerializationFailedException if the bytes are not a key of a class on this
	 * worker's class path
	 */
	Object read(byte[] bytes) {
		return this.deserializer.convert(bytes);
	}

	private static String rootMessage(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

}
