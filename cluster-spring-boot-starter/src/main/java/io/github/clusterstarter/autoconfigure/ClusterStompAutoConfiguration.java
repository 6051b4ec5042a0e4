package io.github.clusterstarter.autoconfigure;

import io.github.clusterstarter.messaging.ClusterMessenger;
import io.github.clusterstarter.stomp.SimpleBrokerRelay;
import io.github.clusterstarter.worker.MasterConnection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * that relays the messages of Spring's simple STOMP broker between workers. Applies only
 * in a worker process, where the {@link MasterConnection} exists, of an application with
 * spring-messaging, and when the {@link ClusterMessenger} can carry the messages.
 */
@AutoConfiguration(after = ClusterMessagingAutoConfiguration.class)
@ConditionalOnClass(SimpleBrokerMessageHandler.class)
@ConditionalOnBean({ MasterConnection.class, ClusterMessenger.class })
@ConditionalOnBooleanProperty(name = "cluster.messaging.stomp-relay", matchIfMissing = true)
public final class ClusterStompAutoConfiguration {

	@Bean
	SimpleBrokerRelay clusterSimpleBrokerRelay(ApplicationContext context, ObjectProvider<ClusterMessenger> messenger) {
		return new SimpleBrokerRelay(ProcessHandle.current().pid(), context,
				(message) -> messenger.getObject().broadcast(message));
	}

}
