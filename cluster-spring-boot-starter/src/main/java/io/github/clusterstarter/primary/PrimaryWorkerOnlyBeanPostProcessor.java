package io.github.clusterstarter.primary;

import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;

/**
 * Proxies beans with {@link PrimaryWorkerOnly @PrimaryWorkerOnly} methods so that those
 * methods run on the primary worker only. It runs before the {@code @Scheduled}
 * processing, so scheduled jobs go through the proxy.
 */
public class PrimaryWorkerOnlyBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	private static final Log logger = LogFactory.getLog(PrimaryWorkerOnlyBeanPostProcessor.class);

	/**
	 * Create a new post-processor.
	 * @param primary supplies the primary check, looked up on first use
	 */
	public PrimaryWorkerOnlyBeanPostProcessor(Supplier<ClusterPrimary> primary) {
		MethodInterceptor interceptor = (invocation) -> {
			if (primary.get().isPrimary()) {
				return invocation.proceed();
			}
			logger.trace("Skipping %s: this worker is not the primary".formatted(invocation.getMethod()));
			return null;
		};
		ComposablePointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(null,
				PrimaryWorkerOnly.class, true))
			.union(new AnnotationMatchingPointcut(PrimaryWorkerOnly.class, true));
		this.advisor = new DefaultPointcutAdvisor(pointcut, interceptor);
		setBeforeExistingAdvisors(true);
		setProxyTargetClass(true);
	}

}
