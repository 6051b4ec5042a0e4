package io.github.clusterstarter.control;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.github.clusterstarter.status.ClusterStatus;
import org.jspecify.annotations.Nullable;

/**
 * A message of the control protocol between the master and its workers. Each message is
 * the header of a {@link Frame}; messages that carry application data (a broadcast
 * payload, a metrics text) carry it as the frame's body, which the master relays without
 * reading it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(ControlMessage.Hello.class), @JsonSubTypes.Type(ControlMessage.Heartbeat.class),
		@JsonSubTypes.Type(ControlMessage.Ready.class), @JsonSubTypes.Type(ControlMessage.Failed.class),
		@JsonSubTypes.Type(ControlMessage.StatusRequest.class), @JsonSubTypes.Type(ControlMessage.RolloutRequest.class),
		@JsonSubTypes.Type(ControlMessage.UpgradeRequest.class),
		@JsonSubTypes.Type(ControlMessage.RestartRequest.class), @JsonSubTypes.Type(ControlMessage.ScaleRequest.class),
		@JsonSubTypes.Type(ControlMessage.Publish.class), @JsonSubTypes.Type(ControlMessage.ScrapeAll.class),
		@JsonSubTypes.Type(ControlMessage.ScrapeResult.class), @JsonSubTypes.Type(ControlMessage.Welcome.class),
		@JsonSubTypes.Type(ControlMessage.Refused.class), @JsonSubTypes.Type(ControlMessage.Primary.class),
		@JsonSubTypes.Type(ControlMessage.Delivery.class), @JsonSubTypes.Type(ControlMessage.Scrape.class),
		@JsonSubTypes.Type(ControlMessage.ScrapePart.class), @JsonSubTypes.Type(ControlMessage.Accepted.class),
		@JsonSubTypes.Type(ControlMessage.Status.class), @JsonSubTypes.Type(ControlMessage.Delivered.class),
		@JsonSubTypes.Type(ControlMessage.Scraping.class), @JsonSubTypes.Type(ControlMessage.Failure.class),
		@JsonSubTypes.Type(ControlMessage.Promote.class) })
public sealed interface ControlMessage permits ControlMessage.WorkerMessage, ControlMessage.MasterMessage {

	/**
	 * Return the name of a message's type on the wire.
	 * @param message the message
	 * @return its type name
	 */
	static String typeName(ControlMessage message) {
		return message.getClass().getAnnotation(JsonTypeName.class).value();
	}

	/**
	 * A message a worker sends to its master.
	 */
	sealed interface WorkerMessage extends ControlMessage permits Hello, Heartbeat, Ready, Failed, StatusRequest,
			RolloutRequest, UpgradeRequest, RestartRequest, ScaleRequest, Publish, ScrapeAll, ScrapeResult {

	}

	/**
	 * A message the master sends to a worker.
	 */
	sealed interface MasterMessage extends ControlMessage
			permits Welcome, Refused, Primary, Delivery, Scrape, ScrapePart, Accepted, Status, Delivered, Scraping,
			Failure, Promote {

	}

	/**
	 * The first message on a connection: who the worker is, the secret, and the protocol
	 * versions it speaks.
	 *
	 * @param protocolVersion the newest protocol version the worker speaks
	 * @param minProtocolVersion the oldest protocol version the worker speaks
	 * @param secret the cluster secret
	 * @param worker the worker id
	 * @param pid the worker's pid
	 */
	@JsonTypeName("hello")
	record Hello(int protocolVersion, int minProtocolVersion, String secret, int worker, long pid)
			implements WorkerMessage {

		@Override
		public String toString() {
			return "Hello[protocolVersion=%d, minProtocolVersion=%d, worker=%d, pid=%d]".formatted(this.protocolVersion,
					this.minProtocolVersion, this.worker, this.pid);
		}

	}

	/**
	 * Sent every second: the worker is alive, with the figures the master reports and
	 * recycles on.
	 *
	 * @param heapUsed heap in use
	 * @param heapMax maximum heap
	 * @param requests requests served
	 * @param inFlight requests being served
	 */
	@JsonTypeName("heartbeat")
	record Heartbeat(long heapUsed, long heapMax, long requests, long inFlight) implements WorkerMessage {

	}

	/**
	 * The application is ready and the worker accepts connections.
	 *
	 * @param build what the worker runs
	 */
	@JsonTypeName("ready")
	record Ready(ClusterStatus.BuildInfo build) implements WorkerMessage {

	}

	/**
	 * The application failed to start.
	 *
	 * @param reason the root cause
	 */
	@JsonTypeName("failed")
	record Failed(String reason) implements WorkerMessage {

	}

	/**
	 * Asks for the {@link Status} of the cluster.
	 */
	@JsonTypeName("status")
	record StatusRequest() implements WorkerMessage {

	}

	/**
	 * Asks for a rolling restart of every worker; answered with {@link Accepted}.
	 */
	@JsonTypeName("rollout")
	record RolloutRequest() implements WorkerMessage {

	}

	/**
	 * Asks the master to replace itself with a new master; answered with
	 * {@link Accepted}.
	 */
	@JsonTypeName("upgrade")
	record UpgradeRequest() implements WorkerMessage {

	}

	/**
	 * Asks to replace one worker; answered with {@link Accepted}.
	 *
	 * @param worker the worker id
	 */
	@JsonTypeName("restart")
	record RestartRequest(int worker) implements WorkerMessage {

	}

	/**
	 * Asks to run a number of workers; answered with {@link Accepted}.
	 *
	 * @param workers the number of workers
	 */
	@JsonTypeName("scale")
	record ScaleRequest(int workers) implements WorkerMessage {

	}

	/**
	 * Asks to deliver the frame's body to one worker or to every ready worker; answered
	 * with {@link Delivered}.
	 *
	 * @param to the target worker id, or {@code null} for every ready worker
	 * @param payloadType the class of the payload
	 */
	@JsonTypeName("publish")
	record Publish(@Nullable Integer to, String payloadType) implements WorkerMessage {

	}

	/**
	 * Asks every ready worker for its metrics on behalf of the sender; answered with
	 * {@link Scraping}, then each worker's metrics arrive as a {@link ScrapePart}.
	 *
	 * @param scrapeId the id of this collection
	 */
	@JsonTypeName("scrape-all")
	record ScrapeAll(String scrapeId) implements WorkerMessage {

	}

	/**
	 * A worker's metrics, in the frame's body, for the worker that asked.
	 *
	 * @param scrapeId the id of the collection
	 * @param requesterWorker the id of the worker that asked
	 * @param requesterPid the pid of the worker that asked
	 * @param error why there are no metrics, or {@code null}
	 */
	@JsonTypeName("scrape-result")
	record ScrapeResult(String scrapeId, int requesterWorker, long requesterPid, @Nullable String error)
			implements WorkerMessage {

	}

	/**
	 * The master accepted a worker's hello.
	 *
	 * @param protocolVersion the protocol version both speak
	 */
	@JsonTypeName("welcome")
	record Welcome(int protocolVersion) implements MasterMessage {

	}

	/**
	 * The master refused a worker's hello; the connection closes.
	 *
	 * @param reason why
	 */
	@JsonTypeName("refused")
	record Refused(String reason) implements MasterMessage {

	}

	/**
	 * A standby process takes over a worker id: it is that worker from now on and starts
	 * accepting connections.
	 *
	 * @param worker the worker id it takes over
	 */
	@JsonTypeName("promote")
	record Promote(int worker) implements MasterMessage {

	}

	/**
	 * The process that runs one-worker-only jobs.
	 *
	 * @param pid its pid, 0 while none is ready
	 */
	@JsonTypeName("primary")
	record Primary(long pid) implements MasterMessage {

	}

	/**
	 * Another worker's payload, in the frame's body.
	 *
	 * @param from the id of the sender
	 * @param payloadType the class of the payload
	 */
	@JsonTypeName("message")
	record Delivery(int from, String payloadType) implements MasterMessage {

	}

	/**
	 * Asks a worker for its metrics on behalf of another.
	 *
	 * @param scrapeId the id of the collection
	 * @param requesterWorker the id of the worker that asked
	 * @param requesterPid the pid of the worker that asked
	 */
	@JsonTypeName("scrape")
	record Scrape(String scrapeId, int requesterWorker, long requesterPid) implements MasterMessage {

	}

	/**
	 * One worker's metrics, in the frame's body, for the worker that asked.
	 *
	 * @param scrapeId the id of the collection
	 * @param worker the id of the worker the metrics are from
	 * @param error why there are no metrics, or {@code null}
	 */
	@JsonTypeName("scrape-part")
	record ScrapePart(String scrapeId, int worker, @Nullable String error) implements MasterMessage {

	}

	/**
	 * A command was accepted.
	 *
	 * @param detail what the master does
	 */
	@JsonTypeName("accepted")
	record Accepted(String detail) implements MasterMessage {

	}

	/**
	 * The state of the cluster.
	 *
	 * @param status the status
	 */
	@JsonTypeName("cluster-status")
	record Status(ClusterStatus status) implements MasterMessage {

	}

	/**
	 * A payload was handed to workers.
	 *
	 * @param delivered how many workers it was sent to
	 */
	@JsonTypeName("delivered")
	record Delivered(int delivered) implements MasterMessage {

	}

	/**
	 * The workers asked for their metrics.
	 *
	 * @param workers their ids
	 */
	@JsonTypeName("scraping")
	record Scraping(List<Integer> workers) implements MasterMessage {

	}

	/**
	 * A request failed.
	 *
	 * @param code what kind of failure
	 * @param reason why
	 */
	@JsonTypeName("error")
	record Failure(ErrorCode code, String reason) implements MasterMessage {

	}

}
