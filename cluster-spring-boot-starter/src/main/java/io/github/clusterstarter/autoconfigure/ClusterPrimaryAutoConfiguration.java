package io.github.clusterstarter.autoconfigure;

import io.github.clusterstarter.primary.ClusterPrimary;
import io.github.clusterstarter.primary.PrimaryWorkerOnlyBeanPostProcessor;
import io.github.clusterstarter.worker.MasterConnection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of one-worker-only jobs: {@link ClusterPrimary} and
 * {@link io.github.clusterstarter.primary.PrimaryWorkerOnly @PrimaryWorkerOnly}.
 */
@AutoConfiguration
public final class ClusterPrimaryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClusterPrimary clusterPrimary(ObjectProvider<MasterConnection> connection) {
		return new ClusterPrimary(connection.getIfAvailable());
	}

	@Bean
	static PrimaryWorkerOnlyBeanPostProcessor primaryWorkerOnlyBeanPostProcessor(
			ObjectProvider<ClusterPrimary> primary) {
		return new PrimaryWorkerOnlyBeanPostProcessor(primary::getObject);
	}

}
