package io.github.clusterstarter.control;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JsonTests {

	@Test
	void roundTripsNestedValues() {
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("type", "status");
		value.put("pid", 123L);
		value.put("ratio", 0.25);
		value.put("ok", true);
		value.put("none", null);
		value.put("workers", List.of(Map.of("id", 1L), Map.of("id", 2L)));
		String json = Json.write(value);
		assertThat(json).isEqualTo(
				"{\"type\":\"status\",\"pid\":123,\"ratio\":0.25,\"ok\":true,\"none\":null,\"workers\":[{\"id\":1},{\"id\":2}]}");
		assertThat(Json.parse(json)).isEqualTo(value);
	}

	@Test
	void escapesStrings() {
		String text = "quote \" backslash \\ newline \n tab \t bell \u0007 e\u0301 \uD83D\uDE00";
		String json = Json.write(text);
		assertThat(json).doesNotContain("\n").contains("\\u0007");
		assertThat(Json.parse(json)).isEqualTo(text);
		assertThat(Json.parse("\"\\ud83d\\ude00 \\/\"")).isEqualTo("\uD83D\uDE00 /");
	}

	@Test
	void readsNumbers() {
		assertThat(Json.parse("-0")).isEqualTo(0L);
		assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
		assertThat(Json.parse("9223372036854775808")).isEqualTo(9.223372036854775808E18);
		assertThat(Json.parse("1.5e3")).isEqualTo(1500.0);
		assertThat(Json.write(2.0)).isEqualTo("2");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "{", "[1,]", "{\"a\" 1}", "{a:1}", "01", "1.", "-", "tru", "\"\\x\"", "\"\\u12\"",
			"\"open", "1 2", "{\"a\":1}}", "\"tab\there\"", "nul", "[1 2]" })
	void rejectsMalformedJson(String text) {
		assertThatExceptionOfType(JsonException.class).isThrownBy(() -> Json.parse(text))
			.withMessageContaining("position");
	}

	@Test
	void limitsNesting() {
		char[] open = new char[100];
		char[] close = new char[100];
		Arrays.fill(open, '[');
		Arrays.fill(close, ']');
		assertThatExceptionOfType(JsonException.class)
			.isThrownBy(() -> Json.parse(new String(open) + new String(close)))
			.withMessageContaining("nested deeper than 64");
	}

	@Test
	void refusesValuesJsonCannotHold() {
		assertThatIllegalArgumentException().isThrownBy(() -> Json.write(Double.NaN));
		assertThatIllegalArgumentException().isThrownBy(() -> Json.write(new Object()));
		assertThatIllegalArgumentException().isThrownBy(() -> Json.write(Map.of(1, "one")));
	}

}
