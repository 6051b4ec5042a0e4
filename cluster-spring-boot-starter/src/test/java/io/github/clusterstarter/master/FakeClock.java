package io.github.clusterstarter.master;

import java.time.Duration;
import java.time.Instant;

/**
 * A {@link MasterClock} that moves only when told to. Its monotonic time starts close to
 * overflowing, as {@link System#nanoTime()} may, so that only differences of it work.
 */
final class FakeClock implements MasterClock {

	private long nanos = Long.MAX_VALUE - Duration.ofMinutes(10).toNanos();

	private Instant instant = Instant.parse("2026-11-27T10:00:00Z");

	@Override
	public long nanoTime() {
		return this.nanos;
	}

	@Override
	public Instant instant() {
		return this.instant;
	}

	void advance(Duration duration) {
		this.nanos += duration.toNanos();
		this.instant = this.instant.plus(duration);
	}

}
