package io.github.clusterstarter.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Deletes expired sessions that no request asks for any more, on the primary worker only,
 * so that each expiry is announced to the application once.
 */
public class ExpiredSessionCleaner implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ExpiredSessionCleaner.class);

	private final ClusterSessionRepository repository;

	private final BooleanSupplier primary;

	private final TaskScheduler scheduler;

	private final Duration interval;

	private final Clock clock;

	private @Nullable ScheduledFuture<?> task;

	/**
	 * Create a cleaner.
	 * @param repository the sessions
	 * @param primary whether this worker is the primary
	 * @param scheduler where to run
	 * @param interval how often
	 */
	public ExpiredSessionCleaner(ClusterSessionRepository repository, BooleanSupplier primary, TaskScheduler scheduler,
			Duration interval) {
		this(repository, primary, scheduler, interval, Clock.systemUTC());
	}

	ExpiredSessionCleaner(ClusterSessionRepository repository, BooleanSupplier primary, TaskScheduler scheduler,
			Duration interval, Clock clock) {
		this.repository = repository;
		this.primary = primary;
		this.scheduler = scheduler;
		this.interval = interval;
		this.clock = clock;
	}

	/**
	 * Delete the sessions that have expired, if this worker is the primary.
	 * @return how many expired
	 */
	int cleanUp() {
		if (!this.primary.getAsBoolean()) {
			return 0;
		}
		Instant now = this.clock.instant();
		int expired = 0;
		try {
			for (String id : this.repository.store().ids()) {
				StoredSession session = this.repository.store().load(id);
				if (session != null && session.isExpired(now)) {
					this.repository.expire(id, now);
					expired++;
				}
			}
		}
		catch (IOException | UncheckedIOException ex) {
			logger.warn("Cannot clean up expired sessions in %s: %s".formatted(this.repository.store().directory(), ex.getMessage()));
		}
		return expired;
	}

	@Override
	public void start() {
		this.task = this.scheduler.scheduleWithFixedDelay(this::cleanUp, this.interval);
	}

	@Override
	public void stop() {
		ScheduledFuture<?> task = this.task;
		if (task != null) {
			task.cancel(false);
			this.task = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.task != null;
	}

}
