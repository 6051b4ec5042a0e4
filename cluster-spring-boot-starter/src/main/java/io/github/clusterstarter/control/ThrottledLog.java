package io.github.clusterstarter.control;

import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;

/**
 * Logs each problem with one connection once, as a warning, but no more than
 * {@value #BURST} per {@value #WINDOW_SECONDS} seconds: a sender that floods the master
 * with garbage must not flood its log too. The first line held back says so, and what is
 * held back is counted in the next line that gets through.
 */
final class ThrottledLog {

	static final int BURST = 10;

	static final long WINDOW_SECONDS = 10;

	private final Log logger;

	private final String subject;

	private long windowStart = System.nanoTime();

	private int inWindow;

	private long suppressed;

	ThrottledLog(Log logger, String subject) {
		this.logger = logger;
		this.subject = subject;
	}

	synchronized void warn(String problem) {
		long now = System.nanoTime();
		if (now - this.windowStart >= TimeUnit.SECONDS.toNanos(WINDOW_SECONDS)) {
			this.windowStart = now;
			this.inWindow = 0;
		}
		if (this.inWindow >= BURST) {
			if (this.suppressed++ == 0) {
				this.logger.warn("%s: more problems follow; logging at most %d every %d s".formatted(this.subject,
						BURST, WINDOW_SECONDS));
			}
			return;
		}
		this.inWindow++;
		String held = (this.suppressed > 0) ? " (%d more like it not logged)".formatted(this.suppressed) : "";
		this.suppressed = 0;
		this.logger.warn("%s: %s%s".formatted(this.subject, problem, held));
	}

}
