package io.github.clusterstarter.autoconfigure;

import io.github.clusterstarter.worker.AcceptGate;
import io.github.clusterstarter.worker.ClusterControl;
import io.github.clusterstarter.worker.ConnectionDrainer;
import io.github.clusterstarter.worker.Heartbeat;
import io.github.clusterstarter.worker.MasterConnection;
import io.github.clusterstarter.worker.RequestStats;
import io.github.clusterstarter.worker.WorkerTomcatCustomizer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of a cluster worker: its parts that talk to the master, and the web server that serves
 * the socket shared by the master and drains before it stops. Applies only in a worker
 * process, where the {@link MasterConnection} exists.
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

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(TomcatServletWebServerFactory.class)
	static class TomcatWorkerConfiguration {

		@Bean
		ConnectionDrainer clusterConnectionDrainer(AcceptGate acceptGate, ClusterProperties properties) {
			return new ConnectionDrainer(acceptGate, properties.getWorker().getDrainTimeout());
		}

		@Bean
		WorkerTomcatCustomizer clusterWorkerTomcatCustomizer(AcceptGate acceptGate, RequestStats requestStats,
				ConnectionDrainer drainer) {
			return new WorkerTomcatCustomizer(acceptGate, requestStats, drainer);
		}

	}

}
