package io.github.clusterstarter.diagnostics;

import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.ClassUtils;

/**
 * Finds beans that keep state in each worker's process that the cluster does not share:
 * in-memory rate limiters, buckets and session stores, known by class name so that none
 * of their libraries is needed. Worker 1 reports them, so that they are reported once.
 */
public class PerProcessBeans implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(PerProcessBeans.class);

	/**
	 * The kinds of beans it looks for.
	 */
	enum Kind {

		RESILIENCE4J_RATE_LIMITERS("io.github.resilience4j.ratelimiter.RateLimiterRegistry",
				"Every worker counts its own calls, so the cluster allows as many calls as there are workers times "
						+ "each limit",
				"divide the limits by cluster.workers, or rate-limit in a shared store or a gateway"),

		BUCKET4J_LOCAL_BUCKETS("io.github.bucket4j.local.LocalBucket",
				"Every worker refills and takes tokens of its own bucket, so the cluster lets through as many "
						+ "tokens as there are workers times each bucket",
				"use a distributed Bucket4j proxy manager (JCache, Redis, a database), or divide the capacity by "
						+ "cluster.workers"),

		MAP_SESSION_REPOSITORY("org.springframework.session.MapSessionRepository",
				"Each worker knows only the sessions it created: a request that another worker serves finds none",
				"store sessions in a shared store (Spring Session with JDBC or Redis)");

		private final String className;

		private final String why;

		private final String fix;

		Kind(String className, String why, String fix) {
			this.className = className;
			this.why = why;
			this.fix = fix;
		}

	}

	private final int workerId;

	private final ListableBeanFactory beanFactory;

	private final @Nullable ClassLoader classLoader;

	/**
	 * Create a new instance.
	 * @param workerId the id of this worker: only worker 1 reports
	 * @param beanFactory the beans to look at
	 * @param classLoader the application's class loader
	 */
	public PerProcessBeans(int workerId, ListableBeanFactory beanFactory, @Nullable ClassLoader classLoader) {
		this.workerId = workerId;
		this.beanFactory = beanFactory;
		this.classLoader = classLoader;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.workerId == 1) {
			find().forEach((state) -> logger.warn(state.describe()));
		}
	}

	/**
	 * Find the beans that keep per-process state.
	 * @return what they hold, why it matters and the fix
	 */
	List<PerProcessState> find() {
		return Stream.of(Kind.values())
			.filter((kind) -> ClassUtils.isPresent(kind.className, this.classLoader))
			.flatMap((kind) -> Stream.of(this.beanFactory
				.getBeanNamesForType(ClassUtils.resolveClassName(kind.className, this.classLoader), true, false))
				.map((name) -> new PerProcessState("bean '%s' (%s)".formatted(name, kind.className), kind.why,
						kind.fix)))
			.toList();
	}

}
