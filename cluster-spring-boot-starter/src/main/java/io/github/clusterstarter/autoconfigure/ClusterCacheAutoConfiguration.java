package io.github.clusterstarter.autoconfigure;

import io.github.clusterstarter.cache.CacheEvictionReceiver;
import io.github.clusterstarter.cache.ClusterCacheBeanPostProcessor;
import io.github.clusterstarter.messaging.ClusterMessenger;
import io.github.clusterstarter.worker.MasterConnection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of evictions of in-process caches on every worker. Applies only in a worker process,
 * where the {@link MasterConnection} exists, and when the {@link ClusterMessenger} can
 * carry the evictions.
 */
@AutoConfiguration(after = ClusterMessagingAutoConfiguration.class)
@ConditionalOnBean({ MasterConnection.class, ClusterMessenger.class })
@ConditionalOnBooleanProperty(name = "cluster.cache.evict-across-workers", matchIfMissing = true)
public final class ClusterCacheAutoConfiguration {

	@Bean
	static ClusterCacheBeanPostProcessor clusterCacheBeanPostProcessor(ObjectProvider<ClusterMessenger> messenger) {
		// The messenger is looked up at the first eviction, not while post-processors are created
		return new ClusterCacheBeanPostProcessor(ProcessHandle.current().pid(),
				(eviction) -> messenger.getObject().broadcast(eviction));
	}

	@Bean
	CacheEvictionReceiver clusterCacheEvictionReceiver(ApplicationContext context) {
		return new CacheEvictionReceiver(ProcessHandle.current().pid(), context, context.getClassLoader());
	}

}
