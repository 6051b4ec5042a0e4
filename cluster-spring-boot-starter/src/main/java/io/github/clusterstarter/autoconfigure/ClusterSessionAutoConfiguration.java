package io.github.clusterstarter.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import io.github.clusterstarter.primary.ClusterPrimary;
import io.github.clusterstarter.session.ClusterSessionRepository;
import io.github.clusterstarter.session.ExpiredSessionCleaner;
import io.github.clusterstarter.session.ReactiveClusterSessionRepository;
import io.github.clusterstarter.worker.MasterConnection;
import jakarta.servlet.Filter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionTimeout;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.session.MapSession;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.annotation.web.http.SpringHttpSessionConfiguration;
import org.springframework.session.config.annotation.web.server.SpringWebSessionConfiguration;
import org.springframework.web.server.session.WebSessionManager;

/**
 * {@link org.springframework.boot.EnableAutoConfiguration Auto-configuration} of HTTP
 * sessions shared by the workers of a cluster, through Spring Session: servlet
 * {@code HttpSession}s (Tomcat and Jetty) and WebFlux {@code WebSession}s. Backs off when
 * the application has a Spring Session store of its own (Redis, JDBC, ...), and Spring
 * Boot's session auto-configuration then configures the session cookie and the filter as
 * for any store.
 */
@AutoConfiguration(before = SessionAutoConfiguration.class,
		after = { ClusterWorkerAutoConfiguration.class, ClusterPrimaryAutoConfiguration.class },
		afterName = { "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration",
				"org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration",
				"org.springframework.boot.webflux.autoconfigure.WebSessionIdResolverAutoConfiguration" },
		beforeName = { "org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration",
				"org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration" })
@ConditionalOnClass(Session.class)
@ConditionalOnBean(MasterConnection.class)
@ConditionalOnBooleanProperty(name = "cluster.sessions.shared", matchIfMissing = true)
@ConditionalOnMissingBean({ SessionRepository.class, ReactiveSessionRepository.class })
@EnableConfigurationProperties(ClusterProperties.class)
public final class ClusterSessionAutoConfiguration {

	@Bean
	ClusterSessionRepository clusterSessionRepository(MasterConnection connection,
			ObjectProvider<SessionTimeout> timeout, ApplicationContext context) {
		Path directory = connection.sessionsDirectory();
		if (directory == null) {
			throw new IllegalStateException("The cluster master did not give this worker a sessions directory: it "
					+ "runs an older version of cluster-spring-boot-starter than this worker, or without "
					+ "cluster.sessions.shared. Restart the whole cluster.");
		}
		Duration maxInactiveInterval = timeout.getIfAvailable(() -> () -> MapSession.DEFAULT_MAX_INACTIVE_INTERVAL)
			.getTimeout();
		return ClusterSessionRepository.open(directory, context.getClassLoader(), context, maxInactiveInterval);
	}

	@Bean
	ExpiredSessionCleaner clusterExpiredSessionCleaner(ClusterSessionRepository sessions, ClusterPrimary primary,
			@Qualifier(ClusterWorkerAutoConfiguration.SCHEDULER_BEAN_NAME) ThreadPoolTaskScheduler scheduler,
			ClusterProperties properties) {
		return new ExpiredSessionCleaner(sessions, primary::isPrimary, scheduler,
				properties.getSessions().getCleanupInterval());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(Filter.class)
	@Import(SpringHttpSessionConfiguration.class)
	static class ServletSessionConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(WebSessionManager.class)
	@Import(SpringWebSessionConfiguration.class)
	static class ReactiveSessionConfiguration {

		@Bean
		ReactiveClusterSessionRepository reactiveClusterSessionRepository(ClusterSessionRepository sessions) {
			return new ReactiveClusterSessionRepository(sessions);
		}

	}

}
