package io.github.clusterstarter.master;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Makes workers boot faster with an application Class Data Sharing archive. Class data
 * sharing cannot map classes from the jars nested in a Spring Boot jar, so the jar is
 * extracted once and one training run writes the archive ({@link TrainingRun}); workers
 * then start from the extracted jar with it. On Java 25 and later the archive is an AOT
 * cache ({@code -XX:AOTCacheOutput}, then {@code -XX:AOTCache}), which also holds the
 * classes already linked and the training run's method profiles; on earlier versions it
 * is a dynamic CDS archive ({@code -XX:ArchiveClassesAtExit}, then
 * {@code -XX:SharedArchiveFile}). The archive is mapped read-only and shared by all
 * workers.
 * <p>
 * It all happens in the background while the first workers boot from the jar as usual;
 * workers started later (respawns, rolling restarts, scaling up) use the archive, and so
 * do the first workers of a later master for the same jar. The cache directory must be
 * private to this user ({@link CdsCacheDirectory}), or class data sharing is off. The
 * archive is keyed by the jar's content ({@link ArchiveKey}): after a deploy the new jar
 * is used as is until its own archive is ready, so no worker ever runs stale code. Each
 * launch checks that the archive and the extracted jar are still there, and otherwise
 * starts the worker from the jar. A failed training run is logged and not retried by this
 * master for the same jar.
 */
final class ClassDataSharing implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ClassDataSharing.class);

	private static final boolean AOT_CACHE = Runtime.version().feature() >= 25;

	private final WorkerCommand command;

	private final File jar;

	private final ArchiveKey key;

	private final ArchiveStore store;

	private final TrainingRun training;

	private volatile @Nullable String trainingKey;

	private @Nullable String usedKey;

	private ClassDataSharing(WorkerCommand command, List<String> programArguments, Path cacheDirectory, File jar) {
		this.command = command;
		this.jar = jar;
		this.key = new ArchiveKey(jar.toPath());
		this.store = new ArchiveStore(cacheDirectory, jar.getName());
		this.training = new TrainingRun(command, programArguments);
	}

	/**
	 * Return class data sharing for a worker command, if it can be used: the workers run
	 * a Spring Boot jar with {@code java -jar}, the JVM options do not already set up
	 * class data sharing, and the cache directory is private to this user (it is created
	 * if it does not exist).
	 * @param command the worker command
	 * @param programArguments the program arguments
	 * @param cacheDirectory where extracted jars and archives are kept
	 * @return class data sharing, or {@code null}
	 */
	static @Nullable ClassDataSharing of(WorkerCommand command, List<String> programArguments, Path cacheDirectory) {
		if (command.target().size() != 2 || !command.target().get(0).equals("-jar")) {
			return null;
		}
		boolean configured = command.jvmOptions()
			.stream()
			.anyMatch((option) -> option.startsWith("-XX:SharedArchiveFile") || option.startsWith("-XX:ArchiveClassesAt")
					|| option.equals("-Xshare:off") || option.startsWith("-XX:AOTCache") || option.startsWith("-XX:AOTMode")
					|| option.equals("-XX:+AutoCreateSharedArchive"));
		File jar = new File(command.target().get(1)).getAbsoluteFile();
		if (configured || !isBootJar(jar)) {
			return null;
		}
		try {
			Path verified = PrivateDirectory.open(cacheDirectory);
			return new ClassDataSharing(command, programArguments, verified, jar);
		}
		catch (IOException ex) {
			logger.warn("Class data sharing is off and workers boot from the jar, because the cache directory is "
					+ "refused: " + ex.getMessage() + ". Point cluster.worker.cds.directory at a directory that only "
					+ "this user can write to, or remove the one that is there.");
			return null;
		}
	}

	private static boolean isBootJar(File jar) {
		try (ZipFile zip = new ZipFile(jar)) {
			return zip.getEntry("BOOT-INF/") != null || zip.getEntry("BOOT-INF/lib/") != null
					|| zip.stream().anyMatch((entry) -> entry.getName().startsWith("BOOT-INF/"));
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Return the command to start a worker with: the archive's if it is ready for the jar
	 * as it is now and all of it is still there, otherwise the plain one. Starts a
	 * training run in the background when the jar has none yet.
	 * @return the worker command
	 */
	synchronized WorkerCommand workerCommand() {
		String key = this.key.get();
		if (key == null) {
			return this.command;
		}
		if (this.store.use(key)) {
			if (!key.equals(this.usedKey) && !key.equals(this.trainingKey)) {
				// Trained by an earlier master for this very jar: even the first workers use it
				logger.info("Using the class data sharing archive in " + this.store.directory(key));
			}
			this.usedKey = key;
			return trainedCommand(key);
		}
		if (key.equals(this.usedKey)) {
			this.usedKey = null;
			logger.warn("The class data sharing archive in %s is gone; workers boot from the jar"
				.formatted(this.store.directory(key)));
		}
		else if (!key.equals(this.trainingKey)) {
			Thread training = new Thread(() -> train(key), "cluster-cds-training");
			training.setDaemon(true);
			training.start();
		}
		// Never trained twice by one master: a failed run would fail again, a deleted cache was deleted on purpose
		this.trainingKey = key;
		return this.command;
	}

	/**
	 * Return the original jar, which workers report as what they run.
	 * @return the jar
	 */
	File jar() {
		return this.jar;
	}

	@Nullable String key() {
		return this.key.get();
	}

	private void train(String key) {
		Path directory = this.store.directory(key);
		long started = System.nanoTime();
		try (FileChannel lock = this.store.lockExclusively()) {
			if (this.store.isReady(key)) {
				logger.info("Class data sharing archive trained by another master in %s; workers started from now "
					.formatted(directory) + "on use it");
			}
			else {
				this.store.prepare(key);
				Path output = this.store.trainingOutput(key);
				this.training.run(this.jar, directory.resolve("app"), this.store.extractedJar(key), output, directory);
				if (!Files.isRegularFile(output)) {
					throw new IOException("the training run wrote no archive");
				}
				this.store.publish(key, output);
				logger.info("Class data sharing archive ready in %s (%d ms); workers started from now on use it"
					.formatted(directory, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
			}
			this.store.use(key);
			this.store.removeUnused();
		}
		catch (IOException | RuntimeException ex) {
			if (this.training.isStopped()) {
				logger.info("Class data sharing training stopped with the master");
				return;
			}
			logger.warn("Workers will boot without a class data sharing archive: " + ex.getMessage()
					+ " (output in " + directory + ")");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private WorkerCommand trainedCommand(String key) {
		List<String> options = new ArrayList<>(this.command.jvmOptions());
		options.add((AOT_CACHE ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + this.store.archive(key));
		return new WorkerCommand(this.command.executable(), options,
				List.of("-jar", this.store.extractedJar(key).toString()), this.command.droppedOptions());
	}

	/**
	 * Stop a training run in progress and release the archives this master used.
	 */
	@Override
	public void close() {
		this.training.stop();
		this.store.close();
	}

}
