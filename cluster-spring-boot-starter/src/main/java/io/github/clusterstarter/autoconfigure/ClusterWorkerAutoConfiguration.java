package io.github.clusterstarter.autoconfigure;

import io.github.clusterstarter.diagnostics.PerProcessBeans;
import io.github.clusterstarter.worker.AcceptGate;
import io.github.clusterstarter.worker.ClusterControl;
import io.github.clusterstarter.worker.ConnectionDrainer;
import io.github.clusterstarter.worker.Heartbeat;
import io.github.clusterstarter.worker.MasterConnection;
import io.github.clusterstarter.worker.RequestStats;
import io.github.clusterstarter.worker.SharedSocketCustomizer;
import io.github.clusterstarter.worker.WebServerFactoryCheck;
import io.github.clusterstarter.worker.jetty.WorkerJettyCustomizer;
import io.github.clusterstarter.worker.netty.WorkerNettyCustomizer;
import io.github.clusterstarter.worker.tomcat.WorkerTomcatCustomizer;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;
import reactor.netty.http.HttpResources;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jetty.JettyWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of a cluster worker: its parts that talk to the master, and the web server that serves
 * the socket shared by the master and drains before it stops: Tomcat, Jetty or Reactor
 * Netty, with Spring MVC or WebFlux, whichever Spring Boot starts. Applies only in a
 * worker process, where the {@link MasterConnection} exists.
 */
@AutoConfiguration
@ConditionalOnBean(MasterConnection.class)
@EnableConfigurationProperties(ClusterProperties.class)
public final class ClusterWorkerAutoConfiguration {

	/**
	 * Name of the scheduler of the worker's own tasks: heartbeats, scrapes for other
	 * workers, and refreshes of the cluster's meters.
	 */
	public static final String SCHEDULER_BEAN_NAME = "clusterWorkerTaskScheduler";

	@Bean(SCHEDULER_BEAN_NAME)
	ThreadPoolTaskScheduler clusterWorkerTaskScheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		// Two threads: a slow scrape or status request must not hold up a heartbeat
		scheduler.setPoolSize(2);
		scheduler.setThreadNamePrefix("cluster-worker-");
		scheduler.setDaemon(true);
		return scheduler;
	}

	@Bean
	AcceptGate clusterAcceptGate() {
		return new AcceptGate();
	}

	@Bean
	RequestStats clusterRequestStats() {
		return new RequestStats();
	}

	@Bean
	Heartbeat clusterHeartbeat(MasterConnection connection, RequestStats requestStats,
			ThreadPoolTaskScheduler clusterWorkerTaskScheduler) {
		return new Heartbeat(connection, requestStats, clusterWorkerTaskScheduler);
	}

	@Bean
	ClusterControl clusterControl(MasterConnection connection) {
		return new ClusterControl(connection);
	}

	@Bean
	ConnectionDrainer clusterConnectionDrainer(AcceptGate acceptGate, ClusterProperties properties) {
		return new ConnectionDrainer(acceptGate, properties.getWorker().getDrainTimeout());
	}

	@Bean
	WebServerFactoryCheck clusterWebServerFactoryCheck(ObjectProvider<SharedSocketCustomizer> customizers) {
		return new WebServerFactoryCheck(customizers.orderedStream().toList());
	}

	@Bean
	PerProcessBeans clusterPerProcessBeans(MasterConnection connection, ApplicationContext context) {
		return new PerProcessBeans(connection.workerId(), context, context.getClassLoader());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Tomcat.class, TomcatWebServerFactory.class })
	static class TomcatWorkerConfiguration {

		@Bean
		WorkerTomcatCustomizer clusterWorkerTomcatCustomizer(AcceptGate acceptGate, RequestStats requestStats,
				ConnectionDrainer drainer) {
			return new WorkerTomcatCustomizer(acceptGate, requestStats, drainer);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Server.class, JettyWebServerFactory.class })
	static class JettyWorkerConfiguration {

		@Bean
		WorkerJettyCustomizer clusterWorkerJettyCustomizer(AcceptGate acceptGate, RequestStats requestStats,
				ConnectionDrainer drainer) {
			return new WorkerJettyCustomizer(acceptGate, requestStats, drainer);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HttpServer.class, NettyReactiveWebServerFactory.class })
	static class NettyWorkerConfiguration {

		@Bean
		WorkerNettyCustomizer clusterWorkerNettyCustomizer(AcceptGate acceptGate, RequestStats requestStats,
				ConnectionDrainer drainer, ObjectProvider<ReactorResourceFactory> resourceFactory) {
			return new WorkerNettyCustomizer(acceptGate, requestStats, drainer, () -> {
				ReactorResourceFactory factory = resourceFactory.getIfAvailable();
				return (factory != null) ? factory.getLoopResources() : HttpResources.get();
			});
		}

	}

}
