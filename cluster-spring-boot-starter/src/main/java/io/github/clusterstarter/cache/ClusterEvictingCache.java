package io.github.clusterstarter.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;

/**
 * A local cache whose evictions and clears also happen on every other worker, while
 * reads and writes stay in this worker's copy. A key eviction is serialized before
 * anything is evicted, so a key that cannot reach the other workers fails with a
 * {@link CacheEvictionException} and evicts nowhere. The eviction is applied here, then
 * sent: when the method returns, the master has queued it to every other ready worker,
 * which applies it within milliseconds, in the order it was sent.
 */
public class ClusterEvictingCache implements Cache {

	private final Cache target;

	private final String cacheManager;

	private final long origin;

	private final CacheKeys keys;

	private final Consumer<CacheEviction> others;

	ClusterEvictingCache(Cache target, String cacheManager, long origin, CacheKeys keys,
			Consumer<CacheEviction> others) {
		this.target = target;
		this.cacheManager = cacheManager;
		this.origin = origin;
		this.keys = keys;
		this.others = others;
	}

	/**
	 * Return the cache of this worker that this one decorates.
	 * @return the local cache
	 */
	public Cache getTargetCache() {
		return this.target;
	}

	@Override
	public String getName() {
		return this.target.getName();
	}

	@Override
	public Object getNativeCache() {
		return this.target.getNativeCache();
	}

	@Override
	public @Nullable ValueWrapper get(Object key) {
		return this.target.get(key);
	}

	@Override
	public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
		return this.target.get(key, type);
	}

	@Override
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		return this.target.get(key, valueLoader);
	}

	@Override
	public @Nullable CompletableFuture<?> retrieve(Object key) {
		return this.target.retrieve(key);
	}

	@Override
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		return this.target.retrieve(key, valueLoader);
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		this.target.put(key, value);
	}

	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		return this.target.putIfAbsent(key, value);
	}

	@Override
	public void evict(Object key) {
		byte[] bytes = this.keys.write(getName(), key);
		this.target.evict(key);
		sendKey(bytes);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		byte[] bytes = this.keys.write(getName(), key);
		boolean evicted = this.target.evictIfPresent(key);
		// Present here or not, another worker may hold it
		sendKey(bytes);
		return evicted;
	}

	@Override
	public void clear() {
		this.target.clear();
		sendAll();
	}

	@Override
	public boolean invalidate() {
		boolean invalidated = this.target.invalidate();
		sendAll();
		return invalidated;
	}

	private void sendKey(byte[] key) {
		this.others.accept(
				new CacheEviction(this.origin, this.cacheManager, getName(), CacheEviction.Scope.KEY, key));
	}

	private void sendAll() {
		this.others.accept(
				new CacheEviction(this.origin, this.cacheManager, getName(), CacheEviction.Scope.ALL, null));
	}

	@Override
	public String toString() {
		return "ClusterEvictingCache[" + this.target + "]";
	}

}
