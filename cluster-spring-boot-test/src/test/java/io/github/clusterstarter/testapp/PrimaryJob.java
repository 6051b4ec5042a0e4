package io.github.clusterstarter.testapp;

import io.github.clusterstarter.primary.PrimaryWorkerOnly;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * A one-worker-only job that prints a line every 200 ms, on with
 * {@code --testapp.job=true}.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnBooleanProperty("testapp.job")
class PrimaryJob {

	@Scheduled(fixedDelay = 200)
	@PrimaryWorkerOnly
	public void run() {
		System.out.println("JOB-RUN pid=" + ProcessHandle.current().pid());
	}

}
