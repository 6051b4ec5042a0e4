package io.github.clusterstarter.warmup;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The time this JVM's JIT compiler spends compiling, to tell when a warm-up round no longer
 * gives it work: the code the requests run is then compiled as far as the requests drive it.
 */
final class JitActivity {

	/**
	 * The share of a round's time the compiler may still spend compiling for the round to
	 * count as settled: a warm JVM that serves the same requests compiles next to nothing.
	 */
	private static final double SETTLED_SHARE = 0.05;

	private final LongSupplier compilationMillis;

	JitActivity(LongSupplier compilationMillis) {
		this.compilationMillis = compilationMillis;
	}

	/**
	 * Return the compiler activity of this JVM, if it reports one: not with {@code -Xint},
	 * nor on a JVM without compilation time monitoring.
	 * @return the activity, or {@code null}
	 */
	static @Nullable JitActivity ofThisJvm() {
		CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
		if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
			return null;
		}
		return new JitActivity(compiler::getTotalCompilationTime);
	}

	/**
	 * Mark the start of a round.
	 * @return the mark
	 */
	Mark mark() {
		return new Mark(this.compilationMillis.getAsLong(), System.nanoTime());
	}

	/**
	 * Return whether the compiler spent less than a twentieth of the time since the mark
	 * compiling.
	 * @param mark where the round started
	 * @return whether the round left the compiler next to idle
	 */
	boolean settledSince(Mark mark) {
		long compiledMillis = this.compilationMillis.getAsLong() - mark.compilationMillis();
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - mark.nanoTime());
		return compiledMillis <= elapsedMillis * SETTLED_SHARE;
	}

	/**
	 * The compiler's total time and the clock at the start of a round.
	 *
	 * @param compilationMillis the compiler's total time then
	 * @param nanoTime {@link System#nanoTime()} then
	 */
	record Mark(long compilationMillis, long nanoTime) {
	}

}
