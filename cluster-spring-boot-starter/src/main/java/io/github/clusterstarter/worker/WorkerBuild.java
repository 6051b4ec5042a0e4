package io.github.clusterstarter.worker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.status.ClusterStatus.BuildInfo;
import org.jspecify.annotations.Nullable;

/**
 * Describes the code a worker runs, so that a half-done rollout after a deploy is
 * visible: the application's version and, when it runs from a jar, the jar's path,
 * modification time and size.
 */
public final class WorkerBuild {

	private WorkerBuild() {
	}

	/**
	 * Describe what this worker runs.
	 * @param mainClass the application's main class, if known
	 * @return the description
	 */
	public static BuildInfo describe(@Nullable Class<?> mainClass) {
		Package mainPackage = (mainClass != null) ? mainClass.getPackage() : null;
		String version = (mainPackage != null) ? mainPackage.getImplementationVersion() : null;
		File jar = launchJar();
		if (jar == null) {
			return new BuildInfo(version, null, null, null);
		}
		return new BuildInfo(version, jar.getAbsolutePath(), jar.lastModified(), jar.length());
	}

	/**
	 * The jar given to {@code java -jar}, read from the kernel's copy of the command line:
	 * Spring Boot's launcher rewrites {@code java.class.path}.
	 */
	private static @Nullable File launchJar() {
		String deployed = System.getenv(WorkerIdentity.APPLICATION_JAR_VARIABLE);
		if (deployed != null) {
			return new File(deployed);
		}
		try {
			List<String> arguments = List.of(Files.readString(Path.of("/proc/self/cmdline")).split("\0"));
			int jar = arguments.indexOf("-jar");
			if (jar >= 0 && jar + 1 < arguments.size()) {
				File file = new File(arguments.get(jar + 1));
				return file.isFile() ? file : null;
			}
		}
		catch (IOException ex) {
			// Not reported then
		}
		return null;
	}

}
