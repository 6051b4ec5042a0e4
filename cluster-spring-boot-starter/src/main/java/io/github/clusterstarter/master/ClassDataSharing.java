package io.github.clusterstarter.master;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import io.github.clusterstarter.control.WorkerIdentity;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.FileSystemUtils;

/**
 * Makes workers boot faster with an application Class Data Sharing archive. Class data
 * sharing cannot map classes from the jars nested in a Spring Boot jar, so the jar is
 * extracted once ({@code java -Djarmode=tools -jar app.jar extract}), one training run
 * boots the application up to its context refresh and writes the archive, and workers
 * then start from the extracted jar with it. On Java 25 and later the archive is an AOT
 * cache ({@code -XX:AOTCacheOutput}, then {@code -XX:AOTCache}), which also holds the
 * classes already linked and the training run's method profiles; on earlier versions it
 * is a dynamic CDS archive ({@code -XX:ArchiveClassesAtExit}, then
 * {@code -XX:SharedArchiveFile}). The archive is mapped read-only and shared by all
 * workers.
 * <p>
 * It all happens in the background while the first workers boot from the jar as usual;
 * workers started later (respawns, rolling restarts, scaling up) use the archive, and so
 * do the first workers of a later master for the same jar. The cache is keyed by the
 * jar's path, size and modification time: after a deploy the new jar is used as is until
 * its own archive is ready, so no worker ever runs stale code. A failed training run is
 * logged and never retried by this master; an archive the JVM cannot use only makes it
 * boot without (the JVM warns and carries on).
 */
final class ClassDataSharing {

	private static final Log logger = LogFactory.getLog(ClassDataSharing.class);

	private static final long TRAINING_TIMEOUT_MINUTES = 5;

	private static final boolean AOT_CACHE = Runtime.version().feature() >= 25;

	private final WorkerCommand command;

	private final List<String> programArguments;

	private final Path cacheRoot;

	private final File jar;

	private volatile @Nullable Trained trained;

	private volatile @Nullable String trainingKey;

	private volatile boolean failed;

	private ClassDataSharing(WorkerCommand command, List<String> programArguments, Path cacheRoot, File jar) {
		this.command = command;
		this.programArguments = programArguments;
		this.cacheRoot = cacheRoot;
		this.jar = jar;
	}

	/**
	 * Return class data sharing for a worker command, if it can be used: the workers run
	 * a Spring Boot jar with {@code java -jar}, and the JVM options do not already set up
	 * class data sharing.
	 * @param command the worker command
	 * @param programArguments the program arguments
	 * @param cacheRoot where extracted jars and archives are kept
	 * @return class data sharing, or {@code null}
	 */
	static @Nullable ClassDataSharing of(WorkerCommand command, List<String> programArguments, Path cacheRoot) {
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
		return new ClassDataSharing(command, programArguments, cacheRoot, jar);
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
	 * as it is now, otherwise the plain one. Starts a training run in the background when
	 * the jar has none yet.
	 * @return the worker command
	 */
	WorkerCommand workerCommand() {
		String key = key();
		Trained trained = this.trained;
		if (trained != null && trained.key().equals(key)) {
			return trained.command();
		}
		if (key != null && isReady(key)) {
			// Trained by an earlier master for this very jar: even the first workers use it
			this.trained = trained(key);
			logger.info("Using the class data sharing archive in " + this.cacheRoot.resolve(key));
			return this.trained.command();
		}
		if (key != null && !this.failed && !key.equals(this.trainingKey)) {
			this.trainingKey = key;
			Thread training = new Thread(() -> train(key), "cluster-cds-training");
			training.setDaemon(true);
			training.start();
		}
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
		if (!this.jar.isFile()) {
			return null;
		}
		String identity = this.jar.getPath() + ":" + this.jar.length() + ":" + this.jar.lastModified() + ":"
				+ System.getProperty("java.vm.version");
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 12);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void train(String key) {
		Path directory = this.cacheRoot.resolve(key);
		Path archive = archive(key);
		Path extracted = directory.resolve("app");
		long started = System.nanoTime();
		try {
			FileSystemUtils.deleteRecursively(directory);
			Files.createDirectories(directory);
			run("extract", List.of(this.command.executable(), "-Djarmode=tools", "-jar", this.jar.getPath(),
					"extract", "--destination", extracted.toString()), directory);
			List<String> training = new ArrayList<>();
			training.add(this.command.executable());
			training.addAll(this.command.jvmOptions());
			training.add((AOT_CACHE ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + archive);
			training.add("-Dspring.context.exit=onRefresh");
			training.add("-jar");
			training.add(extractedJar(key).toString());
			training.addAll(this.programArguments);
			run("training run", training, directory);
			if (!Files.isRegularFile(archive)) {
				throw new IOException("the training run wrote no archive");
			}
			Files.writeString(directory.resolve("ready"), key);
			this.trained = trained(key);
			logger.info("Class data sharing archive ready in %s (%d ms); workers started from now on use it"
				.formatted(directory, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
		}
		catch (IOException | RuntimeException ex) {
			this.failed = true;
			logger.warn("Workers will boot without a class data sharing archive: " + ex.getMessage()
					+ " (output in " + directory + ")");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private boolean isReady(String key) {
		return Files.isRegularFile(this.cacheRoot.resolve(key).resolve("ready"));
	}

	private Path archive(String key) {
		return this.cacheRoot.resolve(key).resolve(AOT_CACHE ? "app.aot" : "app.jsa");
	}

	private Path extractedJar(String key) {
		return this.cacheRoot.resolve(key).resolve("app").resolve(this.jar.getName());
	}

	private Trained trained(String key) {
		List<String> options = new ArrayList<>(this.command.jvmOptions());
		options.add((AOT_CACHE ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive(key));
		return new Trained(key, new WorkerCommand(this.command.executable(), options,
				List.of("-jar", extractedJar(key).toString()), this.command.droppedOptions()));
	}

	private void run(String what, List<String> command, Path directory) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(directory.resolve(what.replace(' ', '-') + ".log").toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		builder.environment().put(WorkerIdentity.CDS_TRAINING_VARIABLE, "true");
		Process process = builder.start();
		if (!process.waitFor(TRAINING_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IOException(what + " took longer than " + TRAINING_TIMEOUT_MINUTES + " minutes");
		}
		if (process.exitValue() != 0) {
			throw new IOException(what + " failed with exit status " + process.exitValue());
		}
	}

	private record Trained(String key, WorkerCommand command) {
	}

}
