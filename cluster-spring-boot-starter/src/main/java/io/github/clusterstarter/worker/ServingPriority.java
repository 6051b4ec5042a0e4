package io.github.clusterstarter.worker;

import java.util.Map;

import com.sun.jna.LastErrorException;
import io.github.clusterstarter.control.WorkerIdentity;
import io.github.clusterstarter.socket.ChildEnvironment;
import io.github.clusterstarter.socket.ThreadNiceness;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Gives a worker that booted at a lowered CPU priority, beside workers that served, the
 * priority they serve at, before it accepts a connection.
 */
public final class ServingPriority {

	private static final Log logger = LogFactory.getLog(ServingPriority.class);

	private ServingPriority() {
	}

	/**
	 * Give every thread of this process the master's nice value, if the master started it
	 * at a raised one.
	 */
	public static void restore() {
		restore(ChildEnvironment.atStart());
	}

	static void restore(Map<String, String> clusterVariables) {
		String value = clusterVariables.get(WorkerIdentity.SERVING_NICENESS_VARIABLE);
		if (value == null) {
			return;
		}
		int serving;
		try {
			serving = Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			logger.warn("Ignoring %s=%s, which is not a nice value".formatted(WorkerIdentity.SERVING_NICENESS_VARIABLE,
					value));
			return;
		}
		int booted = ThreadNiceness.ofCallingThread();
		try {
			ThreadNiceness.setEveryThread(ProcessHandle.current().pid(), serving);
		}
		catch (LastErrorException ex) {
			logger.warn(("Serving at nice value %d instead of the other workers' %d, so slower than they are under "
					+ "load: this process may not lower its nice value (%s)").formatted(booted, serving, ex.getMessage()));
			return;
		}
		if (booted != serving) {
			logger.info("Booted at nice value %d beside the serving workers; serves at %d like them".formatted(booted,
					serving));
		}
	}

}
