package io.github.clusterstarter.cache;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.caffeine.CaffeineCache;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.support.SimpleCacheManager;
import org.springframework.util.ClassUtils;

/**
 * Decides which caches keep their entries in this process, so that every worker has a
 * copy of its own: Spring's {@code ConcurrentMapCache} and {@code CaffeineCache}. Caches
 * that every worker shares (Redis, Hazelcast, a JCache provider, ...) need no help.
 */
final class LocalCaches {

	private static final boolean CAFFEINE_PRESENT = ClassUtils.isPresent(
			"org.springframework.cache.caffeine.CaffeineCache", LocalCaches.class.getClassLoader())
			&& ClassUtils.isPresent("com.github.benmanes.caffeine.cache.Cache", LocalCaches.class.getClassLoader());

	private LocalCaches() {
	}

	/**
	 * Return whether a cache manager may hold local caches.
	 * @param manager the cache manager
	 * @return whether its caches are worth decorating
	 */
	static boolean mayHoldLocalCaches(CacheManager manager) {
		// A SimpleCacheManager may mix local and shared caches: each is decided by isLocal
		return manager instanceof ConcurrentMapCacheManager || manager instanceof SimpleCacheManager
				|| (CAFFEINE_PRESENT && manager instanceof CaffeineCacheManager);
	}

	/**
	 * Return whether a cache keeps its entries in this process.
	 * @param cache the cache
	 * @return whether it is local
	 */
	static boolean isLocal(Cache cache) {
		return cache instanceof ConcurrentMapCache || (CAFFEINE_PRESENT && cache instanceof CaffeineCache);
	}

}
