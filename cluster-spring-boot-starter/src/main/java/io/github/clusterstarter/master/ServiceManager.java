package io.github.clusterstarter.master;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.clusterstarter.socket.NotifySocket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The service manager that started the master, as far as systemd's notify protocol
 * tells: where to send state changes ({@code NOTIFY_SOCKET}) and how often it expects a
 * sign of life ({@code WATCHDOG_USEC}).
 */
interface ServiceManager {

	/**
	 * The variables of the notify protocol, meant for the master alone.
	 */
	List<String> VARIABLES = List.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID");

	/**
	 * No service manager listens.
	 */
	ServiceManager NONE = new ServiceManager() {

		@Override
		public void notify(String message) {
		}

		@Override
		public Duration watchdogTimeout() {
			return Duration.ZERO;
		}

	};

	/**
	 * Return the service manager that the environment names.
	 * @param environment the master's environment
	 * @param pid the master's pid
	 * @return the service manager, {@link #NONE} without {@code NOTIFY_SOCKET}
	 */
	static ServiceManager of(Map<String, String> environment, long pid) {
		String address = environment.get("NOTIFY_SOCKET");
		if (address == null || address.isEmpty()) {
			return NONE;
		}
		String watchdogPid = environment.get("WATCHDOG_PID");
		String watchdogMicros = environment.get("WATCHDOG_USEC");
		boolean watched = watchdogMicros != null && (watchdogPid == null || watchdogPid.equals(Long.toString(pid)));
		try {
			Duration watchdog = watched ? Duration.ofNanos(Long.parseLong(watchdogMicros.trim()) * 1000)
					: Duration.ZERO;
			return new Systemd(NotifySocket.open(address), watchdog);
		}
		catch (RuntimeException ex) {
			// As sd_notify does: a broken notification setup is no reason not to serve
			LogFactory.getLog(ServiceManager.class)
				.warn("Not notifying the service manager (NOTIFY_SOCKET=%s, WATCHDOG_USEC=%s): %s".formatted(address,
						watchdogMicros, ex.getMessage()));
			return NONE;
		}
	}

	/**
	 * Send one message.
	 * @param message {@code KEY=VALUE} lines, such as {@code READY=1}
	 */
	void notify(String message);

	/**
	 * Return how long the service manager waits for {@code WATCHDOG=1} before it counts
	 * the master as hung.
	 * @return the timeout, zero when it does not watch the master
	 */
	Duration watchdogTimeout();

	/**
	 * systemd, or anything that speaks its notify protocol.
	 */
	final class Systemd implements ServiceManager {

		private static final Log logger = LogFactory.getLog(ServiceManager.class);

		private final NotifySocket socket;

		private final Duration watchdogTimeout;

		private boolean failedBefore;

		Systemd(NotifySocket socket, Duration watchdogTimeout) {
			this.socket = socket;
			this.watchdogTimeout = watchdogTimeout;
		}

		@Override
		public void notify(String message) {
			try {
				this.socket.send(message);
			}
			catch (IllegalStateException ex) {
				// Once at warn: a service manager that went away would flood the log
				if (!this.failedBefore) {
					logger.warn(ex.getMessage() + "; later failures are logged at debug level");
				}
				else {
					logger.debug(ex.getMessage());
				}
				this.failedBefore = true;
			}
		}

		@Override
		public Duration watchdogTimeout() {
			return this.watchdogTimeout;
		}

	}

}
