package io.github.clusterstarter.cache;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * An eviction from a local cache, sent to the other workers so that they apply it to
 * their own copy of the cache.
 *
 * @param origin the pid of the worker that evicted, which ignores its own message
 * @param cacheManager the bean name of the cache manager
 * @param cacheName the name of the cache
 * @param scope whether one key or the whole cache was evicted
 * @param key the key in Java serialization form for {@link Scope#KEY}, else {@code null}
 */
public record CacheEviction(long origin, String cacheManager, String cacheName, Scope scope, byte @Nullable [] key) {

	public CacheEviction {
		Assert.notNull(cacheManager, "'cacheManager' must not be null");
		Assert.notNull(cacheName, "'cacheName' must not be null");
		Assert.notNull(scope, "'scope' must not be null");
		Assert.isTrue((scope == Scope.KEY) == (key != null), "'key' must be given for a KEY eviction only");
	}

	/**
	 * What an eviction removes.
	 */
	public enum Scope {

		/**
		 * One key: {@code evict} or {@code evictIfPresent}.
		 */
		KEY,

		/**
		 * Every entry: {@code clear} or {@code invalidate}.
		 */
		ALL

	}

}
