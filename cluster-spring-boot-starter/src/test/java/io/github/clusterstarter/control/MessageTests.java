package io.github.clusterstarter.control;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MessageTests {

	@Test
	void typedGetters() {
		Message message = Message.fromJson(
				"{\"type\":\"t\",\"s\":\"x\",\"n\":7,\"b\":true,\"m\":{\"k\":1},\"l\":[1,2],\"z\":null}");
		assertThat(message.type()).isEqualTo("t");
		assertThat(message.getString("s")).isEqualTo("x");
		assertThat(message.getLong("n")).isEqualTo(7);
		assertThat(message.getInt("n")).isEqualTo(7);
		assertThat(message.getBoolean("b")).isTrue();
		assertThat(message.getMap("m")).isEqualTo(Map.of("k", 1L));
		assertThat(message.getList("l")).isEqualTo(List.of(1L, 2L));
		assertThat(message.get("z")).isNull();
		assertThat(message.with("extra", 1).toJson()).endsWith(",\"extra\":1}");
	}

	@Test
	void gettersExplainWhatIsWrong() {
		Message message = Message.of("t", "s", "x", "d", 1.5, "big", 1L << 40);
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> message.getString("missing"))
			.withMessage("Message 't' has no field 'missing'");
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> message.getLong("s"))
			.withMessage("Field 's' of message 't' must be a number");
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> message.getLong("d"))
			.withMessage("Field 'd' must be a whole number");
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> message.getInt("big"))
			.withMessage("Field 'big' is out of range");
	}

	@Test
	void rejectsWhatIsNotAMessage() {
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> Message.fromJson("[1]"));
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> Message.fromJson("{\"type\":1}"));
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> Message.fromJson("{oops"))
			.withMessageContaining("not valid JSON");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> Message.fromJson("\"" + "x".repeat(Message.MAX_LENGTH) + "\""));
	}

}
