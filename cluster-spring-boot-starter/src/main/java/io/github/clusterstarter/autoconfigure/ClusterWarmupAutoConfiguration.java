package io.github.clusterstarter.autoconfigure;

import io.github.clusterstarter.warmup.ClusterWarmup;
import io.github.clusterstarter.warmup.WarmupListenerFactory;
import io.github.clusterstarter.warmup.WarmupPlan;
import io.github.clusterstarter.warmup.WorkerWarmup;
import io.github.clusterstarter.worker.MasterConnection;
import io.github.clusterstarter.worker.jetty.JettyWarmupListeners;
import io.github.clusterstarter.worker.netty.NettyWarmupListeners;
import io.github.clusterstarter.worker.tomcat.TomcatWarmupListeners;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;
import reactor.netty.http.HttpResources;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jetty.JettyWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.server.reactive.HttpHandler;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of a worker's warm-up before it joins the accept pool: the requests of
 * {@code cluster.worker.warmup.*}, the application's {@link ClusterWarmup} beans, and the
 * private listener of each web server that they are sent to. Applies only in a worker
 * process, where the {@link MasterConnection} exists.
 */
@AutoConfiguration(after = ClusterWorkerAutoConfiguration.class)
@ConditionalOnBean(MasterConnection.class)
@EnableConfigurationProperties(ClusterWarmupProperties.class)
public final class ClusterWarmupAutoConfiguration {

	@Bean
	WorkerWarmup clusterWorkerWarmup(ClusterWarmupProperties properties,
			ObjectProvider<WarmupListenerFactory> listenerFactories, ListableBeanFactory beanFactory,
			ApplicationContext context) {
		return new WorkerWarmup(WarmupPlan.of(properties), listenerFactories.orderedStream().toList(),
				beanFactory.getBeansOfType(ClusterWarmup.class),
				() -> (context instanceof WebServerApplicationContext web) ? web.getWebServer() : null);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Tomcat.class, TomcatWebServerFactory.class })
	static class TomcatWarmupConfiguration {

		@Bean
		TomcatWarmupListeners clusterTomcatWarmupListeners() {
			return new TomcatWarmupListeners();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Server.class, JettyWebServerFactory.class })
	static class JettyWarmupConfiguration {

		@Bean
		JettyWarmupListeners clusterJettyWarmupListeners() {
			return new JettyWarmupListeners();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HttpServer.class, NettyReactiveWebServerFactory.class })
	static class NettyWarmupConfiguration {

		@Bean
		NettyWarmupListeners clusterNettyWarmupListeners(ObjectProvider<HttpHandler> httpHandler,
				ObjectProvider<ReactorResourceFactory> resourceFactory) {
			return new NettyWarmupListeners(httpHandler, () -> {
				ReactorResourceFactory factory = resourceFactory.getIfAvailable();
				return (factory != null) ? factory.getLoopResources() : HttpResources.get();
			});
		}

	}

}
