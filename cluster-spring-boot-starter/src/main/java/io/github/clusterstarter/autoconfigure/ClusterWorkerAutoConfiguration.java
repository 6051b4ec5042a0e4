package io.github.clusterstarter.autoconfigure;

import io.github.clusterstarter.worker.ConnectionDrainer;
import io.github.clusterstarter.worker.WorkerAgent;
import io.github.clusterstarter.worker.WorkerTomcatCustomizer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of a cluster worker: Tomcat serves the socket shared by the master and drains before it
 * stops. Applies only in a worker process, where the {@link WorkerAgent} exists.
 */
@AutoConfiguration
@ConditionalOnClass(TomcatServletWebServerFactory.class)
@ConditionalOnBean(WorkerAgent.class)
@EnableConfigurationProperties(ClusterProperties.class)
public final class ClusterWorkerAutoConfiguration {

	@Bean
	ConnectionDrainer clusterConnectionDrainer(WorkerAgent agent, ClusterProperties properties) {
		return new ConnectionDrainer(agent.getAcceptGate(), properties.getWorker().getDrainTimeout());
	}

	@Bean
	WorkerTomcatCustomizer clusterWorkerTomcatCustomizer(WorkerAgent agent, ConnectionDrainer drainer) {
		return new WorkerTomcatCustomizer(agent, drainer);
	}

}
