package io.github.clusterstarter.master;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * Decides what a worker does with a JVM option of the master that claims something only
 * one process can have: a debug agent's or JMX port is left out (the master keeps it), a
 * log, heap dump or (from Java 25) flight recording file gets the worker's pid in its
 * name, and a flight recording to one fixed file before Java 25, which cannot expand
 * {@code %p} there, stops the cluster from starting with the reason. The same rules apply to the command line and to the options the JVM reads
 * from {@code JAVA_TOOL_OPTIONS} and {@code JDK_JAVA_OPTIONS}.
 */
final class WorkerJvmOptions {

	/**
	 * The environment variables whose JVM options every JVM of the cluster reads.
	 */
	static final List<String> VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

	private static final List<Predicate<String>> LEFT_OUT = List.of((option) -> option.startsWith("-agentlib:jdwp"),
			(option) -> option.startsWith("-Xrunjdwp"), (option) -> option.equals("-Xdebug"),
			(option) -> option.startsWith("-Dcom.sun.management.jmxremote.port="),
			(option) -> option.startsWith("-Dcom.sun.management.jmxremote.rmi.port="));

	private static final Pattern LOG_FILE = Pattern.compile("(-Xlog:.*?:(?:file=)?)([^:,]+\\.[^:,.]+)(.*)");

	private static final Pattern HEAP_DUMP_FILE = Pattern.compile("(-XX:HeapDumpPath=)(.+\\.hprof)");

	private static final Pattern MAX_HEAP = Pattern.compile("(?:-Xmx|-XX:MaxHeapSize=)(\\d+[kKmMgGtT]?)");

	private static final int RECORDING_PID_VERSION = 25;

	private static final Pattern RECORDING_FILE = Pattern.compile("-XX:StartFlightRecording.*filename=([^,]+\\.jfr).*");

	private WorkerJvmOptions() {
	}

	/**
	 * Return the option a worker gets in place of one of the master's.
	 * @param option the master's option
	 * @param source where the master got it, for the message of a refusal
	 * @return the worker's option, or {@code null} to leave it out
	 * @throws ClusterConfigurationException if no worker can have it
	 */
	static @Nullable String forWorker(String option, String source) {
		if (LEFT_OUT.stream().anyMatch((predicate) -> predicate.test(option))) {
			return null;
		}
		Matcher log = LOG_FILE.matcher(option);
		if (log.matches() && !log.group(2).contains("%p")) {
			return log.group(1) + withPid(log.group(2)) + log.group(3);
		}
		Matcher heapDump = HEAP_DUMP_FILE.matcher(option);
		if (heapDump.matches() && !heapDump.group(2).contains("%p")) {
			return heapDump.group(1) + withPid(heapDump.group(2));
		}
		Matcher recording = RECORDING_FILE.matcher(option);
		if (recording.matches() && Runtime.version().feature() >= RECORDING_PID_VERSION) {
			return recording.group(1).contains("%p") ? option
					: option.replace("filename=" + recording.group(1), "filename=" + withPid(recording.group(1)));
		}
		if (recording.matches()) {
			throw new ClusterConfigurationException(
					"The JVM option %s (from %s) makes every worker write its flight recording to the same file, %s."
						.formatted(option, source, recording.group(1)),
					"Give 'filename' a directory instead of a file: each JVM then writes a file of its own there.");
		}
		return option;
	}

	/**
	 * Describe what a worker gets in place of an option, for the master's log.
	 * @param option the master's option
	 * @param workerOption the worker's, or {@code null} if it is left out
	 * @return the description
	 */
	static String describe(String option, @Nullable String workerOption) {
		return (workerOption != null) ? option + " (workers get " + workerOption + ")" : option;
	}

	/**
	 * Warn when a maximum heap sized for one JVM, given to every worker, adds up to more
	 * memory than the machine or container has.
	 * @param workerOptions the workers' JVM options
	 * @param workers the number of workers
	 * @param totalMemory the memory of the machine or container
	 * @return the warning, or {@code null}
	 */
	static @Nullable String heapWarning(List<String> workerOptions, int workers, long totalMemory) {
		long maxHeap = 0;
		for (String option : workerOptions) {
			Matcher heap = MAX_HEAP.matcher(option);
			if (heap.matches()) {
				maxHeap = DataSize.parse(heap.group(1).toUpperCase(Locale.ROOT).replaceAll("([KMGT])$", "$1B"))
					.toBytes();
			}
		}
		if (maxHeap == 0 || maxHeap * workers <= totalMemory) {
			return null;
		}
		return ("Each of the %d workers may grow its heap to %d MB (-Xmx): %d MB together, more than the %d MB of "
				+ "memory this machine or container has. Size -Xmx for one worker's share, for example with "
				+ "cluster.worker.jvm-args=-Xmx%dm")
			.formatted(workers, maxHeap >> 20, (maxHeap * workers) >> 20, totalMemory >> 20,
					(totalMemory / workers / 2) >> 20);
	}

	private static String withPid(String file) {
		int dot = file.lastIndexOf('.');
		return file.substring(0, dot) + "-%p" + file.substring(dot);
	}

}
