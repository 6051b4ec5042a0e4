package io.github.clusterstarter.cache;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.event.EventListener;
import org.springframework.core.serializer.support.SerializationFailedException;

/**
 * Applies the evictions that other workers send to this worker's copy of their caches,
 * without sending them on. An eviction for a cache or cache manager this worker does not
 * have (a worker of another version during a rolling restart, a removed cache) finds
 * nothing to evict. A key that cannot be read here clears the whole cache rather than
 * leave a stale entry.
 */
public class CacheEvictionReceiver {

	private static final Log logger = LogFactory.getLog(CacheEvictionReceiver.class);

	private final long self;

	private final ListableBeanFactory beanFactory;

	private final CacheKeys keys;

	/**
	 * Create a new instance.
	 * @param self the pid of this worker, whose own evictions come back to it
	 * @param beanFactory where the cache managers are
	 * @param classLoader the class loader of key types
	 */
	public CacheEvictionReceiver(long self, ListableBeanFactory beanFactory, @Nullable ClassLoader classLoader) {
		this.self = self;
		this.beanFactory = beanFactory;
		this.keys = new CacheKeys(classLoader);
	}

	/**
	 * Apply an eviction sent by a worker.
	 * @param eviction the eviction
	 */
	@EventListener
	public void onEviction(CacheEviction eviction) {
		if (eviction.origin() == this.self) {
			return;
		}
		Cache cache = localCache(eviction);
		if (cache == null) {
			return;
		}
		byte[] key = eviction.key();
		if (eviction.scope() == CacheEviction.Scope.ALL || key == null) {
			cache.invalidate();
			return;
		}
		try {
			cache.evictIfPresent(this.keys.read(key));
		}
		catch (SerializationFailedException ex) {
			logger.warn("Cannot read a key evicted from cache '%s' by worker pid %d; clearing the whole cache here"
				.formatted(eviction.cacheName(), eviction.origin()), ex);
			cache.invalidate();
		}
	}

	private @Nullable Cache localCache(CacheEviction eviction) {
		if (!this.beanFactory.containsBean(eviction.cacheManager())
				|| !this.beanFactory.isTypeMatch(eviction.cacheManager(), CacheManager.class)) {
			logger.debug("No cache manager '%s' on this worker: nothing to evict".formatted(eviction.cacheManager()));
			return null;
		}
		CacheManager manager = this.beanFactory.getBean(eviction.cacheManager(), CacheManager.class);
		// getCache would create a missing cache in a dynamic manager: one that does not exist holds nothing
		Cache cache = manager.getCacheNames().contains(eviction.cacheName()) ? manager.getCache(eviction.cacheName())
				: null;
		if (cache == null) {
			logger.debug("No cache '%s' on this worker: nothing to evict".formatted(eviction.cacheName()));
			return null;
		}
		return (cache instanceof ClusterEvictingCache evicting) ? evicting.getTargetCache() : cache;
	}

}
