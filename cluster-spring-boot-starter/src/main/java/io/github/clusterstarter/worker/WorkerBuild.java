package io.github.clusterstarter.worker;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Describes the code a worker runs, so that a half-done rollout after a deploy is
 * visible: the application's version and, when it runs from a jar, the jar's path,
 * modification time and size.
 */
final class WorkerBuild {

	private WorkerBuild() {
	}

	static Map<String, Object> describe(@Nullable Class<?> mainClass) {
		Map<String, Object> build = new LinkedHashMap<>();
		Package mainPackage = (mainClass != null) ? mainClass.getPackage() : null;
		build.put("version", (mainPackage != null) ? mainPackage.getImplementationVersion() : null);
		File jar = launchJar();
		if (jar != null) {
			build.put("jar", jar.getAbsolutePath());
			build.put("jarModifiedAt", jar.lastModified());
			build.put("jarSize", jar.length());
		}
		return build;
	}

	/**
	 * The jar the JVM was started with: {@code java -jar} leaves exactly that jar on the
	 * class path.
	 */
	private static @Nullable File launchJar() {
		String classPath = System.getProperty("java.class.path", "");
		if (classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)) {
			File jar = new File(classPath);
			return jar.isFile() ? jar : null;
		}
		return null;
	}

}
