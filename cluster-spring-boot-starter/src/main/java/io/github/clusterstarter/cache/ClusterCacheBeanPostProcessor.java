package io.github.clusterstarter.cache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * Makes evictions from local caches happen on every worker. It proxies each
 * {@link CacheManager} that may hold caches whose entries live in this process, keeping
 * the manager's class so that it can still be injected as, say, a
 * {@code CaffeineCacheManager}; the local caches the proxy returns are
 * {@link ClusterEvictingCache}s. Applies only in a worker process.
 */
public class ClusterCacheBeanPostProcessor implements BeanPostProcessor {

	private final long origin;

	private final Consumer<CacheEviction> others;

	private final CacheKeys keys = new CacheKeys(null);

	/**
	 * Create a new instance.
	 * @param origin the pid of this worker
	 * @param others sends an eviction to the other workers
	 */
	public ClusterCacheBeanPostProcessor(long origin, Consumer<CacheEviction> others) {
		this.origin = origin;
		this.others = others;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof CacheManager manager && !AopUtils.isAopProxy(bean)
				&& LocalCaches.mayHoldLocalCaches(manager)) {
			ProxyFactory proxy = new ProxyFactory(manager);
			proxy.setProxyTargetClass(true);
			proxy.addAdvice(new DecoratingGetCache(beanName));
			return proxy.getProxy(manager.getClass().getClassLoader());
		}
		return bean;
	}

	private final class DecoratingGetCache implements MethodInterceptor {

		private final String cacheManager;

		private final Map<String, ClusterEvictingCache> decorated = new ConcurrentHashMap<>();

		private DecoratingGetCache(String cacheManager) {
			this.cacheManager = cacheManager;
		}

		@Override
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			Object result = invocation.proceed();
			if (!invocation.getMethod().getName().equals("getCache") || !(result instanceof Cache cache)
					|| !LocalCaches.isLocal(cache)) {
				return result;
			}
			// A manager may replace a cache (resetCaches, removeCache): decorate the current one
			return this.decorated.compute(cache.getName(),
					(name, existing) -> (existing != null && existing.getTargetCache() == cache) ? existing
							: new ClusterEvictingCache(cache, this.cacheManager, ClusterCacheBeanPostProcessor.this.origin,
									ClusterCacheBeanPostProcessor.this.keys, ClusterCacheBeanPostProcessor.this.others));
		}

	}

}
