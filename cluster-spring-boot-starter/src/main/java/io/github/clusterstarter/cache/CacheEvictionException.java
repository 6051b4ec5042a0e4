package io.github.clusterstarter.cache;

/**
 * Thrown when an eviction cannot be sent to the other workers, for example because its
 * key cannot be serialized. Nothing was evicted on any worker.
 */
public class CacheEvictionException extends RuntimeException {

	CacheEvictionException(String message, Throwable cause) {
		super(message, cause);
	}

}
