package io.github.clusterstarter.control;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads frame headers as one line of JSON with Jackson. Reading is strict
 * about what a message must have (every field present, of the right type) and lenient
 * about what it may have (fields a newer version added are ignored).
 */
final class ControlCodec {

	private static final JsonMapper mapper = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private ControlCodec() {
	}

	static byte[] writeHeader(long requestId, long replyTo, ControlMessage message, int bodyLength) {
		return mapper.writeValueAsBytes(new Header(requestId, replyTo, bodyLength, message));
	}

	/**
	 * Read the parts of a header that keep the stream in step: even when its message is
	 * bad, its body must be skipped and its request answered.
	 */
	static Envelope readEnvelope(byte[] line) {
		JsonNode header;
		try {
			header = mapper.readTree(line);
		}
		catch (JacksonException ex) {
			throw new MalformedMessageException(0, "not a JSON header: " + ex.getOriginalMessage());
		}
		if (header == null || !header.isObject()) {
			throw new MalformedMessageException(0, "the header is not a JSON object");
		}
		long requestId = wholeNumber(header, "requestId", 0);
		long bodyLength = wholeNumber(header, "bodyLength", requestId);
		if (bodyLength < 0) {
			throw new MalformedMessageException(requestId, "negative bodyLength " + bodyLength);
		}
		return new Envelope(requestId, wholeNumber(header, "replyTo", requestId), bodyLength, header.get("message"));
	}

	private static long wholeNumber(JsonNode header, String field, long requestId) {
		JsonNode value = header.get(field);
		if (value == null || value.isNull()) {
			return 0;
		}
		if (!value.isIntegralNumber() || !value.canConvertToLong()) {
			throw new MalformedMessageException(requestId, "'" + field + "' must be a whole number");
		}
		return value.longValue();
	}

	static ControlMessage readMessage(Envelope envelope) {
		if (envelope.message() == null || !envelope.message().isObject()) {
			throw new MalformedMessageException(envelope.requestId(), "the header has no 'message' object");
		}
		try {
			return mapper.treeToValue(envelope.message(), ControlMessage.class);
		}
		catch (JacksonException ex) {
			throw new MalformedMessageException(envelope.requestId(), describe(envelope.message(), ex));
		}
	}

	private static String describe(JsonNode message, JacksonException ex) {
		JsonNode type = message.get("type");
		String name = (type != null && type.isString()) ? "'" + type.asString() + "' message" : "message";
		return "invalid %s (control protocol %d): %s".formatted(name, ControlProtocol.VERSION, ex.getOriginalMessage());
	}

	record Header(long requestId, long replyTo, long bodyLength, ControlMessage message) {

	}

	record Envelope(long requestId, long replyTo, long bodyLength, JsonNode message) {

	}

}
