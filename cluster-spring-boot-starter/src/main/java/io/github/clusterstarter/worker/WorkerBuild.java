package io.github.clusterstarter.worker;

import java.io.File;

import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.socket.ChildEnvironment;
import io.github.clusterstarter.status.ClusterStatus.BuildInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.system.ApplicationHome;

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
		File jar = launchJar(mainClass);
		if (jar == null) {
			return new BuildInfo(version, null, null, null);
		}
		return new BuildInfo(version, jar.getAbsolutePath(), jar.lastModified(), jar.length());
	}

	/**
	 * The jar the application runs from: the one that was deployed, when the worker runs
	 * from the master's extracted copy of it.
	 */
	private static @Nullable File launchJar(@Nullable Class<?> mainClass) {
		// Read as the worker started: it removes the cluster's variables from its environment
		String deployed = ChildEnvironment.atStart().get(WorkerIdentity.APPLICATION_JAR_VARIABLE);
		if (deployed != null) {
			return new File(deployed);
		}
		File source = new ApplicationHome(mainClass).getSource();
		return (source != null && source.isFile()) ? source : null;
	}

}
