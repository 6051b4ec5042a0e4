package io.github.clusterstarter.testapp;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.github.clusterstarter.cache.CacheEviction;
import io.github.clusterstarter.messaging.ClusterMessenger;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.MapSessionRepository;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A cached catalog, with {@code --testapp.catalog=true}: each worker computes its own
 * value of an entry, and an eviction on one worker must reach the others. With
 * {@code --testapp.map-sessions=true}, an in-memory session store besides.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("testapp.catalog")
@EnableCaching
class Catalog {

	@Bean
	CacheManager cacheManager() {
		return new ConcurrentMapCacheManager();
	}

	@Bean
	@ConditionalOnProperty("testapp.map-sessions")
	MapSessionRepository mapSessionRepository() {
		return new MapSessionRepository(new ConcurrentHashMap<>());
	}

	@Service
	@ConditionalOnProperty("testapp.catalog")
	static class Entries {

		@Cacheable("catalog")
		public String lookup(String id) {
			return id + "@" + UUID.randomUUID();
		}

		@CacheEvict("catalog")
		public void evict(String id) {
		}

		@CacheEvict(cacheNames = "catalog", allEntries = true)
		public void clear() {
		}

	}

	@RestController
	@ConditionalOnProperty("testapp.catalog")
	static class CatalogController {

		private final Entries entries;

		private final CacheManager cacheManager;

		private final ClusterMessenger messenger;

		private final int worker;

		CatalogController(Entries entries, CacheManager cacheManager, ClusterMessenger messenger,
				@Value("${cluster.worker.id:0}") int worker) {
			this.entries = entries;
			this.cacheManager = cacheManager;
			this.messenger = messenger;
			this.worker = worker;
		}

		@GetMapping("/catalog/{id}")
		Map<String, Object> get(@PathVariable String id) {
			return answer(this.entries.lookup(id));
		}

		@DeleteMapping("/catalog/{id}")
		Map<String, Object> evict(@PathVariable String id) {
			this.entries.evict(id);
			return answer("evicted");
		}

		@DeleteMapping("/catalog")
		Map<String, Object> clear() {
			this.entries.clear();
			return answer("cleared");
		}

		/**
		 * Evicts a key that cannot reach the other workers.
		 */
		@PostMapping("/catalog/evict-unserializable")
		Map<String, Object> evictUnserializable() {
			this.cacheManager.getCache("catalog").evict(new Object());
			return answer("evicted");
		}

		/**
		 * Sends the other workers an eviction whose key is not Java serialization.
		 */
		@PostMapping("/catalog/evict-garbage")
		Map<String, Object> evictGarbage() {
			this.messenger.broadcast(new CacheEviction(0, "cacheManager", "catalog", CacheEviction.Scope.KEY,
					new byte[] { 1, 2, 3 }));
			return answer("sent");
		}

		private Map<String, Object> answer(String value) {
			return Map.of("worker", this.worker, "pid", ProcessHandle.current().pid(), "value", value);
		}

	}

}
