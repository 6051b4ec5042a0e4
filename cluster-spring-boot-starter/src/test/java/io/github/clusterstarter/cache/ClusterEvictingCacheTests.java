package io.github.clusterstarter.cache;

import java.util.ArrayList;
import java.util.List;

import com.github.benmanes.caffeine.cache.Caffeine;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.cache.support.NoOpCacheManager;
import org.springframework.cache.support.SimpleCacheManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two workers' cache managers joined by a fake messenger: what one evicts, the other
 * applies, without sending it back.
 */
class ClusterEvictingCacheTests {

	private final List<CacheEviction> sent = new ArrayList<>();

	private final DefaultListableBeanFactory otherWorker = new DefaultListableBeanFactory();

	private final CacheEvictionReceiver receiver = new CacheEvictionReceiver(2, this.otherWorker,
			getClass().getClassLoader());

	private final ClusterCacheBeanPostProcessor postProcessor = new ClusterCacheBeanPostProcessor(1, (eviction) -> {
		this.sent.add(eviction);
		this.receiver.onEviction(eviction);
	});

	@Test
	void keyEvictionReachesTheOtherWorkerWithTheSameKey() {
		CacheManager here = decorate(new ConcurrentMapCacheManager("books"));
		CacheManager there = otherWorker(new ConcurrentMapCacheManager("books"));
		SimpleKey key = new SimpleKey("isbn", 42);
		here.getCache("books").put(key, "here");
		there.getCache("books").put(key, "there");
		there.getCache("books").put("other", "kept");
		here.getCache("books").evict(new SimpleKey("isbn", 42));
		assertThat(here.getCache("books").get(key)).isNull();
		assertThat(there.getCache("books").get(key)).isNull();
		assertThat(there.getCache("books").get("other").get()).isEqualTo("kept");
		assertThat(this.sent).singleElement().satisfies((eviction) -> {
			assertThat(eviction.scope()).isEqualTo(CacheEviction.Scope.KEY);
			assertThat(eviction.cacheManager()).isEqualTo("cacheManager");
			assertThat(eviction.origin()).isEqualTo(1);
		});
	}

	@Test
	void evictIfPresentAndClearAndInvalidateReachTheOtherWorker() {
		CacheManager here = decorate(caffeine());
		CacheManager there = otherWorker(caffeine());
		there.getCache("books").put("a", 1);
		there.getCache("books").put("b", 2);
		assertThat(here.getCache("books").evictIfPresent("a")).isFalse();
		assertThat(there.getCache("books").get("a")).isNull();
		here.getCache("books").clear();
		assertThat(there.getCache("books").get("b")).isNull();
		there.getCache("books").put("c", 3);
		here.getCache("books").invalidate();
		assertThat(there.getCache("books").get("c")).isNull();
		assertThat(this.sent).extracting(CacheEviction::scope)
			.containsExactly(CacheEviction.Scope.KEY, CacheEviction.Scope.ALL, CacheEviction.Scope.ALL);
	}

	@Test
	void putAndGetStayInTheWorker() {
		CacheManager here = decorate(new ConcurrentMapCacheManager("books"));
		CacheManager there = otherWorker(new ConcurrentMapCacheManager("books"));
		here.getCache("books").put("a", 1);
		assertThat(here.getCache("books").get("a").get()).isEqualTo(1);
		assertThat(there.getCache("books").get("a")).isNull();
		assertThat(this.sent).isEmpty();
	}

	@Test
	void decoratedManagerKeepsItsClassAndCaches() {
		CacheManager here = decorate(caffeine());
		assertThat(here).isInstanceOf(CaffeineCacheManager.class);
		assertThat(here.getCache("books")).isInstanceOf(ClusterEvictingCache.class)
			.isSameAs(here.getCache("books"));
		assertThat(here.getCache("books").getNativeCache())
			.isInstanceOf(com.github.benmanes.caffeine.cache.Cache.class);
	}

	@Test
	void onlyLocalCachesOfASimpleCacheManagerAreDecorated() {
		SimpleCacheManager manager = new SimpleCacheManager();
		Cache shared = new NoOpCacheManager().getCache("shared");
		manager.setCaches(List.of(new ConcurrentMapCache("local"), shared));
		manager.afterPropertiesSet();
		CacheManager here = decorate(manager);
		assertThat(here.getCache("local")).isInstanceOf(ClusterEvictingCache.class);
		assertThat(here.getCache("shared")).isSameAs(shared);
		assertThat(decorate(new NoOpCacheManager())).isInstanceOf(NoOpCacheManager.class);
	}

	@Test
	void keyThatCannotBeSerializedFailsBeforeAnythingIsEvicted() {
		CacheManager here = decorate(new ConcurrentMapCacheManager("books"));
		Object key = new Object();
		here.getCache("books").put(key, "value");
		assertThatExceptionOfType(CacheEvictionException.class).isThrownBy(() -> here.getCache("books").evict(key))
			.withMessageContaining("java.lang.Object")
			.withMessageContaining("'books'")
			.withMessageContaining("Serializable");
		assertThat(here.getCache("books").get(key).get()).isEqualTo("value");
		assertThat(this.sent).isEmpty();
	}

	@Test
	void evictionOfACacheTheOtherWorkerDoesNotHaveCreatesNone() {
		CacheManager here = decorate(new ConcurrentMapCacheManager());
		ConcurrentMapCacheManager there = new ConcurrentMapCacheManager();
		otherWorker(there);
		here.getCache("removed").evict("a");
		here.getCache("removed").clear();
		assertThat(there.getCacheNames()).isEmpty();
	}

	@Test
	void evictionArrivingAfterTheCacheWasRemovedIsIgnored() {
		CacheManager here = decorate(new ConcurrentMapCacheManager());
		ConcurrentMapCacheManager there = new ConcurrentMapCacheManager();
		otherWorker(there);
		there.getCache("books").put("a", 1);
		there.removeCache("books");
		here.getCache("books").evict("a");
		assertThat(there.getCacheNames()).isEmpty();
	}

	@Test
	void evictionForAnUnknownCacheManagerIsIgnored() {
		this.receiver.onEviction(new CacheEviction(1, "noSuchManager", "books", CacheEviction.Scope.ALL, null));
	}

	@Test
	void ownEvictionComingBackIsIgnored() {
		ConcurrentMapCacheManager there = new ConcurrentMapCacheManager("books");
		otherWorker(there);
		there.getCache("books").put("a", 1);
		this.receiver.onEviction(new CacheEviction(2, "cacheManager", "books", CacheEviction.Scope.ALL, null));
		assertThat(there.getCache("books").get("a")).isNotNull();
	}

	@Test
	void keyThatCannotBeReadClearsTheWholeCache() {
		ConcurrentMapCacheManager there = new ConcurrentMapCacheManager("books");
		otherWorker(there);
		there.getCache("books").put("a", 1);
		this.receiver.onEviction(
				new CacheEviction(1, "cacheManager", "books", CacheEviction.Scope.KEY, new byte[] { 1, 2, 3 }));
		assertThat(there.getCache("books").get("a")).isNull();
	}

	@Test
	void evictionWithoutItsKeyIsRejected() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new CacheEviction(1, "cacheManager", "books", CacheEviction.Scope.KEY, null));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new CacheEviction(1, "cacheManager", null, CacheEviction.Scope.ALL, null));
	}

	private CacheManager decorate(CacheManager manager) {
		return (CacheManager) this.postProcessor.postProcessAfterInitialization(manager, "cacheManager");
	}

	private CacheManager otherWorker(CacheManager manager) {
		CacheManager decorated = (CacheManager) new ClusterCacheBeanPostProcessor(2, (eviction) -> {
			throw new AssertionError("The receiving worker sent " + eviction + " on");
		}).postProcessAfterInitialization(manager, "cacheManager");
		this.otherWorker.registerSingleton("cacheManager", decorated);
		return decorated;
	}

	private static CaffeineCacheManager caffeine() {
		CaffeineCacheManager manager = new CaffeineCacheManager("books");
		manager.setCaffeine(Caffeine.newBuilder().maximumSize(100));
		return manager;
	}

}
