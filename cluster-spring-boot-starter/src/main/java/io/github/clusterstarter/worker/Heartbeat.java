package io.github.clusterstarter.worker;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import io.github.clusterstarter.control.ControlMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.scheduling.TaskScheduler;

/**
 * Sends a heartbeat to the master every second, so that its watchdog can tell a live
 * worker from a hung or frozen JVM. It carries the figures the master reports and
 * recycles on.
 */
public class Heartbeat implements InitializingBean, DisposableBean {

	static final Duration INTERVAL = Duration.ofSeconds(1);

	private final MasterConnection connection;

	private final RequestStats requestStats;

	private final TaskScheduler scheduler;

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	private @Nullable ScheduledFuture<?> beating;

	/**
	 * Create a new heartbeat.
	 * @param connection the connection to the master
	 * @param requestStats the worker's request counters
	 * @param scheduler the worker's scheduler
	 */
	public Heartbeat(MasterConnection connection, RequestStats requestStats, TaskScheduler scheduler) {
		this.connection = connection;
		this.requestStats = requestStats;
		this.scheduler = scheduler;
	}

	@Override
	public void afterPropertiesSet() {
		this.beating = this.scheduler.scheduleWithFixedDelay(this::beat, INTERVAL);
	}

	private void beat() {
		MemoryUsage heap = this.memory.getHeapMemoryUsage();
		this.connection.send(new ControlMessage.Heartbeat(heap.getUsed(), heap.getMax(), this.requestStats.served(),
				this.requestStats.inFlight()));
	}

	@Override
	public void destroy() {
		ScheduledFuture<?> beating = this.beating;
		if (beating != null) {
			beating.cancel(false);
		}
	}

}
