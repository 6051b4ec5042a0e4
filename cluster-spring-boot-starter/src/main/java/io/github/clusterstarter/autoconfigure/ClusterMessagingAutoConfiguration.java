package io.github.clusterstarter.autoconfigure;

import io.github.clusterstarter.messaging.ClusterMessenger;
import io.github.clusterstarter.worker.MasterConnection;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of the {@link ClusterMessenger}, which needs the application's Jackson
 * {@link JsonMapper}.
 */
@AutoConfiguration(after = JacksonAutoConfiguration.class)
@ConditionalOnClass(JsonMapper.class)
@ConditionalOnBean(JsonMapper.class)
public final class ClusterMessagingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClusterMessenger clusterMessenger(ObjectProvider<MasterConnection> connection, JsonMapper jsonMapper,
			ApplicationContext context) {
		return new ClusterMessenger(connection.getIfAvailable(), jsonMapper, context, context.getClassLoader());
	}

}
