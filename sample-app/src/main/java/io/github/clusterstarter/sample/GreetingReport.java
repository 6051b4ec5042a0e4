package io.github.clusterstarter.sample;

import io.github.clusterstarter.primary.PrimaryWorkerOnly;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A job that must run once per cluster, not once per worker: it logs the greeting every
 * {@code sample.report.interval}. Every worker holds the same greeting, so one report is
 * enough; {@link PrimaryWorkerOnly} runs it on the primary worker alone, and the
 * {@code [worker-N]} tag of its lines tells which worker that is.
 */
@Component
class GreetingReport {

	private static final Log logger = LogFactory.getLog(GreetingReport.class);

	private static final int SHOWN_CHARACTERS = 40;

	private final GreetingController greetings;

	GreetingReport(GreetingController greetings) {
		this.greetings = greetings;
	}

	@Scheduled(fixedDelayString = "${sample.report.interval:1m}")
	@PrimaryWorkerOnly
	public void report() {
		String greeting = this.greetings.current();
		String shown = (greeting.length() > SHOWN_CHARACTERS) ? greeting.substring(0, SHOWN_CHARACTERS) + "..."
				: greeting;
		logger.info("Greeting report: '%s' (%d characters)".formatted(shown, greeting.length()));
	}

}
