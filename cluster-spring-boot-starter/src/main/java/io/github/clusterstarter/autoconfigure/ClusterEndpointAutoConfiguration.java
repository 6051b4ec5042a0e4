package io.github.clusterstarter.autoconfigure;

import io.github.clusterstarter.actuate.ClusterEndpoint;
import io.github.clusterstarter.actuate.ClusterEndpointWebExtension;
import io.github.clusterstarter.worker.ClusterControl;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of the {@link ClusterEndpoint}. In a process that is not clustered the endpoint says so.
 */
@AutoConfiguration
@ConditionalOnClass(Endpoint.class)
@ConditionalOnAvailableEndpoint(ClusterEndpoint.class)
public final class ClusterEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClusterEndpoint clusterEndpoint(ObjectProvider<ClusterControl> control) {
		return new ClusterEndpoint(control.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ClusterEndpoint.class)
	ClusterEndpointWebExtension clusterEndpointWebExtension(ClusterEndpoint endpoint) {
		return new ClusterEndpointWebExtension(endpoint);
	}

}
