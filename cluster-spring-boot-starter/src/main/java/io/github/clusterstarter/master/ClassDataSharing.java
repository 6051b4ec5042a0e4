package io.github.clusterstarter.master;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
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
 * private to this user ({@link PrivateDirectory}), or class data sharing is off. The
 * archive is keyed by the jar's content ({@link ArchiveKey}): after a deploy the new jar
 * is used as is until its own archive is ready, so no worker ever runs stale code. Each
 * launch checks that the archive and the extracted jar are still there, and otherwise
 * starts the worker from the jar. A failed training run is logged and not retried by this
 * master for the same jar.
 */
final class ClassDataSharing implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ClassDataSharing.class);

	private static final boolean AOT_CACHE = Runtime.version().feature() >= 25;

	private static final String PREPARE = "cluster.worker.cds.prepare";

	private final WorkerCommand command;

	private final File jar;

	private final ArchiveKey key;

	private final ArchiveStore store;

	private final TrainingRun training;

	private volatile @Nullable String trainingKey;

	private @Nullable String usedKey;

	ClassDataSharing(WorkerCommand command, List<String> programArguments, ArchiveStore store, File jar) {
		this.command = command;
		this.jar = jar;
		this.key = new ArchiveKey(jar.toPath());
		this.store = store;
		this.training = new TrainingRun(command, programArguments);
	}

	/**
	 * Return class data sharing for a worker command, if it can be used: the workers run
	 * a Spring Boot jar with {@code java -jar}, the JVM options do not already set up
	 * class data sharing, and the cache directory is private to this user (it is created
	 * if it does not exist), or belongs to root and is not writable by this user, and is
	 * then only read.
	 * @param command the worker command
	 * @param programArguments the program arguments
	 * @param cache where extracted jars and archives are kept
	 * @return class data sharing, or {@code null}
	 */
	static @Nullable ClassDataSharing of(WorkerCommand command, List<String> programArguments,
			PrivateDirectory.Location cache) {
		File jar = bootJar(command);
		if (jar == null) {
			return null;
		}
		try {
			return open(command, programArguments, cache, jar);
		}
		catch (IOException ex) {
			logger.warn("Class data sharing is off and workers boot from the jar, because the cache directory is "
					+ "refused: " + ex.getMessage() + ". " + refusalAdvice(ex));
			return null;
		}
	}

	/**
	 * Extract the jar and train its archive into the cache directory now, unless the
	 * cache already has it, and let every user read it: for a step of an image build,
	 * whose archive the image's workers use read-only.
	 * @param command the worker command
	 * @param programArguments the program arguments
	 * @param cache where extracted jars and archives are kept
	 * @return the directory of the archive
	 * @throws ClusterConfigurationException if no archive can be made for this
	 * application or in this directory
	 * @throws IOException if the training run fails
	 * @throws InterruptedException if interrupted while waiting for it
	 */
	static Path prepare(WorkerCommand command, List<String> programArguments, PrivateDirectory.Location cache)
			throws IOException, InterruptedException {
		File jar = bootJar(command);
		if (jar == null) {
			throw new ClusterConfigurationException(PREPARE + " is set, but class data sharing applies only to an "
					+ "application started with 'java -jar' from a Spring Boot jar, without JVM options that set up "
					+ "class data sharing themselves.", "Run the prepare step as 'java -jar app.jar --" + PREPARE
							+ "=true', with the JVM options the image runs the application with.");
		}
		ClassDataSharing sharing;
		try {
			sharing = open(command, programArguments, cache, jar);
		}
		catch (IOException ex) {
			throw new ClusterConfigurationException(
					PREPARE + " is set, but the cache directory is refused: " + ex.getMessage() + ".",
					refusalAdvice(ex));
		}
		try (sharing) {
			String key = sharing.key();
			if (key == null || sharing.store.isReadOnly()) {
				throw new ClusterConfigurationException(PREPARE + " is set, but "
						+ ((key == null) ? "the jar " + jar + " cannot be read."
								: "this user cannot write to the cache directory " + sharing.store.root() + "."),
						"Run the prepare step as a user that can write to cluster.worker.cds.directory.");
			}
			sharing.train(key);
			sharing.store.makeReadable(key);
			return sharing.store.directory(key);
		}
	}

	private static String refusalAdvice(IOException refusal) {
		return (refusal instanceof PrivateDirectory.WritableAncestorException)
				? "If only this pod's containers can write to it (a Kubernetes emptyDir), set "
						+ "cluster.worker.cds.trust-writable-parents=true; otherwise point "
						+ "cluster.worker.cds.directory elsewhere."
				: "Point cluster.worker.cds.directory at a directory that only this user (or root, for an archive "
						+ "made at image build time) can write to, or remove the one that is there.";
	}

	private static @Nullable File bootJar(WorkerCommand command) {
		if (command.target().size() != 2 || !command.target().get(0).equals("-jar")) {
			return null;
		}
		boolean configured = command.jvmOptions()
			.stream()
			.anyMatch((option) -> option.startsWith("-XX:SharedArchiveFile") || option.startsWith("-XX:ArchiveClassesAt")
					|| option.equals("-Xshare:off") || option.startsWith("-XX:AOTCache") || option.startsWith("-XX:AOTMode")
					|| option.equals("-XX:+AutoCreateSharedArchive"));
		File jar = new File(command.target().get(1)).getAbsoluteFile();
		return (configured || !isBootJar(jar)) ? null : jar;
	}

	private static ClassDataSharing open(WorkerCommand command, List<String> programArguments,
			PrivateDirectory.Location cache, File jar) throws IOException {
		Path directory = cache.path();
		if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS) && !Files.isWritable(directory)) {
			// Made at image build time, or on a read-only file system: used as it is, never written to
			Path verified = PrivateDirectory.openForReading(directory, cache.trustWritableParents());
			return new ClassDataSharing(command, programArguments, ArchiveStore.readOnly(verified, jar.getName()),
					jar);
		}
		Path verified = PrivateDirectory.open(directory, cache.trustWritableParents());
		return new ClassDataSharing(command, programArguments, new ArchiveStore(verified, jar.getName()), jar);
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
		else if (!key.equals(this.trainingKey) && this.store.isReadOnly()) {
			logger.warn(("Class data sharing is off and workers boot from the jar: the read-only cache directory %s "
					+ "has no usable archive for %s. Make it at image build time with --%s=true, or point "
					+ "cluster.worker.cds.directory at a writable directory").formatted(this.store.root(), this.jar,
							PREPARE));
		}
		else if (!key.equals(this.trainingKey)) {
			Thread training = new Thread(() -> trainInBackground(key), "cluster-cds-training");
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

	private void trainInBackground(String key) {
		try {
			train(key);
		}
		catch (IOException | RuntimeException ex) {
			if (this.training.isStopped()) {
				logger.info("Class data sharing training stopped with the master");
				return;
			}
			logger.warn("Workers will boot without a class data sharing archive: " + ex.getMessage()
					+ " (output in " + this.store.directory(key) + ")");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void train(String key) throws IOException, InterruptedException {
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
