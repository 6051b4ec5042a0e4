package io.github.clusterstarter.lifecycle;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.worker.ClusterWorkerIdAssignedEvent;
import io.github.clusterstarter.worker.MasterConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Holds a ready standby process outside the accept pool until the master tells it to
 * take over a worker id, then makes it that worker: its connection, environment
 * ({@code cluster.worker.id}) and log tag carry the id, the application hears of it
 * through a {@link ClusterWorkerIdAssignedEvent}, and it starts accepting.
 */
final class StandbyPromotion {

	private static final Log logger = LogFactory.getLog(StandbyPromotion.class);

	private final MasterConnection connection;

	private final ConfigurableApplicationContext context;

	StandbyPromotion(MasterConnection connection, ConfigurableApplicationContext context) {
		this.connection = connection;
		this.context = context;
	}

	/**
	 * Take over the worker id the master names, whenever it does.
	 */
	void awaitPromotion() {
		this.connection.onMessage(ControlMessage.Promote.class, (frame) -> takeOver(frame.message().worker()));
	}

	private void takeOver(int workerId) {
		if (!this.connection.isStandby()) {
			logger.warn("Ignoring a second promotion, to worker %d: this process is worker %d already"
				.formatted(workerId, this.connection.workerId()));
			return;
		}
		this.connection.takeOver(workerId);
		ClusterEnvironmentPostProcessor.assignWorkerId(this.context.getEnvironment(), workerId);
		try {
			this.context.publishEvent(new ClusterWorkerIdAssignedEvent(this.context, workerId));
		}
		catch (RuntimeException ex) {
			// The master counts on this process to serve now; a listener cannot undo that
			logger.error("A listener failed on taking over worker id %d; serving anyway".formatted(workerId), ex);
		}
		StartServing.in(this.context);
		logger.info("Took over as worker %d (pid %d) and accepts connections".formatted(workerId,
				this.connection.pid()));
	}

}
