package io.github.clusterstarter.master;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.clusterstarter.control.ControlConnection;
import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.Frame;

/**
 * A {@link ControlConnection} that records what the master sends on it.
 */
final class FakeControlConnection implements ControlConnection {

	private final int workerId;

	private final long pid;

	boolean welcomed;

	String refused;

	boolean open = true;

	/**
	 * What the master sent unasked, in order.
	 */
	final List<Sent> sent = new ArrayList<>();

	/**
	 * The answers, by request id.
	 */
	final Map<Long, ControlMessage.MasterMessage> replies = new LinkedHashMap<>();

	/**
	 * An answer of this type makes {@link #reply} throw.
	 */
	Class<?> failingAnswer;

	FakeControlConnection(int workerId, long pid) {
		this.workerId = workerId;
		this.pid = pid;
	}

	@Override
	public int workerId() {
		return this.workerId;
	}

	@Override
	public long pid() {
		return this.pid;
	}

	@Override
	public void welcome() {
		this.welcomed = true;
	}

	@Override
	public void refuse(String reason) {
		this.refused = reason;
		this.open = false;
	}

	@Override
	public boolean send(ControlMessage.MasterMessage message, byte[] body) {
		this.sent.add(new Sent(message, body));
		return this.open;
	}

	@Override
	public boolean reply(Frame<?> request, ControlMessage.MasterMessage answer) {
		if (this.failingAnswer != null && this.failingAnswer.isInstance(answer)) {
			throw new IllegalStateException("Simulated failure answering with " + answer.getClass().getSimpleName());
		}
		this.replies.put(request.requestId(), answer);
		return this.open;
	}

	@Override
	public void close() {
		this.open = false;
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	<T extends ControlMessage.MasterMessage> List<T> sent(Class<T> type) {
		return this.sent.stream().map(Sent::message).filter(type::isInstance).map(type::cast).toList();
	}

	@Override
	public String toString() {
		return "connection of worker %d (pid %d)".formatted(this.workerId, this.pid);
	}

	/**
	 * A message the master sent.
	 *
	 * @param message the message
	 * @param body its body
	 */
	record Sent(ControlMessage.MasterMessage message, byte[] body) {

	}

}
