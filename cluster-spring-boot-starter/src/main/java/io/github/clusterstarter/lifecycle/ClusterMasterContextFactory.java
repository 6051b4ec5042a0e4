package io.github.clusterstarter.lifecycle;

import java.util.List;

import io.github.clusterstarter.master.ArchivePreparation;
import io.github.clusterstarter.master.ClusterMaster;
import io.github.clusterstarter.master.ClusterSettings;

import org.springframework.boot.ApplicationContextFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Runs the cluster master where the application's context would be created, and exits
 * with its status. {@link SpringApplication} creates the context right after it printed
 * the banner, so the master prints the cluster's one banner (workers print none), and
 * never creates the context. Asked to prepare the class data sharing archive, it does that
 * instead, and exits.
 */
final class ClusterMasterContextFactory implements ApplicationContextFactory {

	private final ClusterSettings settings;

	private final List<String> programArguments;

	private final Class<? extends ConfigurableEnvironment> environmentType;

	private final boolean prepareClassDataSharing;

	ClusterMasterContextFactory(ClusterSettings settings, List<String> programArguments,
			ConfigurableEnvironment environment, boolean prepareClassDataSharing) {
		this.settings = settings;
		this.programArguments = programArguments;
		this.environmentType = environment.getClass();
		this.prepareClassDataSharing = prepareClassDataSharing;
	}

	/**
	 * Keep the environment the master was configured with: nothing converts it for a
	 * context that the master never creates.
	 */
	@Override
	public Class<? extends ConfigurableEnvironment> getEnvironmentType(WebApplicationType webApplicationType) {
		return this.environmentType;
	}

	@Override
	public ConfigurableApplicationContext create(WebApplicationType webApplicationType) {
		int status = this.prepareClassDataSharing
				? ArchivePreparation.run(this.settings, this.programArguments)
				: ClusterMaster.forCurrentProcess(this.settings, this.programArguments).run();
		System.exit(status);
		// Not reached: exit does not return
		throw new IllegalStateException("The cluster master exited with status " + status);
	}

}
