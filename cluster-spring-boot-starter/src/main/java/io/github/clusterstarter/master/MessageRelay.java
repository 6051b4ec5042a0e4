package io.github.clusterstarter.master;

import java.util.List;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.ErrorCode;
import io.github.clusterstarter.control.Frame;

/**
 * Relays application data between workers without reading it: a published payload to one
 * worker or to every ready worker (the sender included) and standby, once each, and a scrape request
 * to every ready worker, whose answers go back to the worker that asked.
 */
final class MessageRelay {

	private final WorkerPool pool;

	MessageRelay(WorkerPool pool) {
		this.pool = pool;
	}

	/**
	 * Deliver a payload.
	 * @param sender the process that published it
	 * @param publish where to
	 * @param body the payload
	 * @return the answer to the sender: how many workers it was sent to, or why it was not
	 */
	ControlMessage.MasterMessage publish(WorkerProcess sender, ControlMessage.Publish publish, byte[] body) {
		ControlMessage.Delivery delivery = new ControlMessage.Delivery(sender.workerId, publish.payloadType());
		Integer to = publish.to();
		if (to == null) {
			// Standbys too: one that missed a cache eviction would serve stale data once it takes over
			long delivered = this.pool.processes()
				.filter((process) -> process.isReady() || process.isStandby())
				.filter((process) -> process.send(delivery, body))
				.count();
			return new ControlMessage.Delivered((int) delivered);
		}
		WorkerSlot target = this.pool.slot(to);
		if (target == null) {
			return new ControlMessage.Failure(ErrorCode.NOT_FOUND,
					"no worker with id " + to + "; the cluster has workers " + this.pool.ids());
		}
		return new ControlMessage.Delivered(sendToReady(target, delivery, body) ? 1 : 0);
	}

	/**
	 * Ask every ready worker for its metrics on behalf of one of them. The master only
	 * relays: the answers go back to the requester one by one, which merges them.
	 * @param requester the process that asked
	 * @param scrapeAll the request
	 * @return the answer to the requester: the workers asked
	 */
	ControlMessage.MasterMessage scrapeAll(WorkerProcess requester, ControlMessage.ScrapeAll scrapeAll) {
		ControlMessage.Scrape scrape = new ControlMessage.Scrape(scrapeAll.scrapeId(), requester.workerId,
				requester.pid);
		List<Integer> asked = this.pool.slots()
			.stream()
			.filter((slot) -> sendToReady(slot, scrape, Frame.NO_BODY))
			.map((slot) -> slot.id)
			.toList();
		return new ControlMessage.Scraping(asked);
	}

	/**
	 * Forward one worker's metrics to the worker that asked, if it is still there.
	 * @param sender the process the metrics are from
	 * @param result the metrics
	 * @param body the metrics text
	 */
	void forwardScrape(WorkerProcess sender, ControlMessage.ScrapeResult result, byte[] body) {
		WorkerProcess requester = this.pool.process(result.requesterWorker(), result.requesterPid());
		if (requester != null) {
			requester.send(new ControlMessage.ScrapePart(result.scrapeId(), sender.workerId, result.error()), body);
		}
	}

	/**
	 * Send a message to the current process of a slot if it is ready.
	 * @return whether it was sent
	 */
	private boolean sendToReady(WorkerSlot slot, ControlMessage.MasterMessage message, byte[] body) {
		WorkerProcess process = slot.current;
		return process != null && process.isReady() && process.send(message, body);
	}

}
