package io.github.clusterstarter.master;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * What the master does instead of running the cluster when
 * {@code cluster.worker.cds.prepare} is set: it makes the class data sharing archive that
 * the workers of this application would use, in the cache directory, and starts no
 * worker. A step of an image build, whose archive the image's workers use read-only.
 */
public final class ArchivePreparation {

	private static final Log logger = LogFactory.getLog(ArchivePreparation.class);

	private ArchivePreparation() {
	}

	/**
	 * Make the archive, unless the cache already has it.
	 * @param settings the cluster settings, with class data sharing on
	 * @param programArguments the arguments that {@code main} received
	 * @return the exit status for the master process
	 * @throws io.github.clusterstarter.diagnostics.ClusterConfigurationException if no
	 * archive can be made for this application or in the cache directory
	 * @throws IllegalStateException if the training run fails
	 */
	public static int run(ClusterSettings settings, List<String> programArguments) {
		PrivateDirectory.Location cache = settings.cdsDirectory();
		Assert.state(cache != null, "Class data sharing is off");
		try {
			Path directory = ClassDataSharing.prepare(ProcessWorkerLauncher.workerCommand(settings), programArguments,
					cache);
			logger.info("Class data sharing archive prepared in " + directory);
			return 0;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot prepare the class data sharing archive: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while preparing the class data sharing archive", ex);
		}
	}

}
