package io.github.clusterstarter.autoconfigure;

import io.github.clusterstarter.actuate.ClusterHealthIndicator;
import io.github.clusterstarter.worker.ClusterControl;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of the {@code cluster} health indicator.
 */
@AutoConfiguration
@ConditionalOnClass(AbstractHealthIndicator.class)
@ConditionalOnEnabledHealthIndicator("cluster")
public final class ClusterHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "clusterHealthIndicator")
	ClusterHealthIndicator clusterHealthIndicator(ObjectProvider<ClusterControl> control) {
		return new ClusterHealthIndicator(control.getIfAvailable());
	}

}
