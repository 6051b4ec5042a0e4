package io.github.clusterstarter.control;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A small, strict JSON reader and writer for control messages. The master stays free of
 * Jackson, which it would load only for this.
 */
public final class Json {

	private static final int MAX_DEPTH = 64;

	private Json() {
	}

	/**
	 * Write a value: {@code null}, a Boolean, a Number, a CharSequence, a Map with String
	 * keys, a Collection or an Object array of these.
	 * @param value the value
	 * @return its JSON text
	 * @throws IllegalArgumentException for any other value, or a number JSON cannot hold
	 */
	public static String write(@Nullable Object value) {
		StringBuilder out = new StringBuilder();
		write(value, out, 0);
		return out.toString();
	}

	private static void write(@Nullable Object value, StringBuilder out, int depth) {
		if (depth > MAX_DEPTH) {
			throw new IllegalArgumentException("Value nested deeper than " + MAX_DEPTH);
		}
		if (value == null || value instanceof Boolean) {
			out.append(value);
		}
		else if (value instanceof Double || value instanceof Float) {
			double number = ((Number) value).doubleValue();
			if (Double.isNaN(number) || Double.isInfinite(number)) {
				throw new IllegalArgumentException("JSON cannot hold " + number);
			}
			out.append((number == Math.rint(number) && Math.abs(number) < 1e15) ? Long.toString((long) number)
					: Double.toString(number));
		}
		else if (value instanceof Number) {
			out.append(value);
		}
		else if (value instanceof CharSequence text) {
			writeString(text, out);
		}
		else if (value instanceof Map<?, ?> map) {
			out.append('{');
			boolean first = true;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!(entry.getKey() instanceof String key)) {
					throw new IllegalArgumentException("JSON object keys must be strings, not " + entry.getKey());
				}
				out.append(first ? "" : ",");
				first = false;
				writeString(key, out);
				out.append(':');
				write(entry.getValue(), out, depth + 1);
			}
			out.append('}');
		}
		else if (value instanceof Collection<?> || value instanceof Object[]) {
			Collection<?> items = (value instanceof Object[] array) ? List.of(array) : (Collection<?>) value;
			out.append('[');
			boolean first = true;
			for (Object item : items) {
				out.append(first ? "" : ",");
				first = false;
				write(item, out, depth + 1);
			}
			out.append(']');
		}
		else {
			throw new IllegalArgumentException("Cannot write " + value.getClass().getName() + " as JSON");
		}
	}

	private static void writeString(CharSequence text, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20 || c == 0x2028 || c == 0x2029) {
						out.append("\\u%04x".formatted((int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

	/**
	 * Parse JSON text.
	 * @param text the text
	 * @return a LinkedHashMap, ArrayList, String, Long, Double, Boolean or {@code null}
	 * @throws JsonException if the text is not valid JSON
	 */
	public static @Nullable Object parse(String text) {
		Parser parser = new Parser(text);
		parser.skipWhitespace();
		Object value = parser.value(0);
		parser.skipWhitespace();
		if (!parser.atEnd()) {
			throw parser.error("unexpected text after the value");
		}
		return value;
	}

	private static final class Parser {

		private final String text;

		private int position;

		Parser(String text) {
			this.text = text;
		}

		boolean atEnd() {
			return this.position >= this.text.length();
		}

		JsonException error(String message) {
			return new JsonException(message + " at position " + this.position);
		}

		void skipWhitespace() {
			while (!atEnd()) {
				char c = this.text.charAt(this.position);
				if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
					return;
				}
				this.position++;
			}
		}

		char peek() {
			if (atEnd()) {
				throw error("unexpected end of input");
			}
			return this.text.charAt(this.position);
		}

		void expect(char expected) {
			if (peek() != expected) {
				throw error("expected '" + expected + "'");
			}
			this.position++;
		}

		@Nullable Object value(int depth) {
			if (depth > MAX_DEPTH) {
				throw error("nested deeper than " + MAX_DEPTH);
			}
			char c = peek();
			return switch (c) {
				case '{' -> object(depth);
				case '[' -> array(depth);
				case '"' -> string();
				case 't' -> literal("true", Boolean.TRUE);
				case 'f' -> literal("false", Boolean.FALSE);
				case 'n' -> literal("null", null);
				default -> {
					if (c == '-' || (c >= '0' && c <= '9')) {
						yield number();
					}
					throw error("unexpected character '" + c + "'");
				}
			};
		}

		private Map<String, Object> object(int depth) {
			Map<String, Object> object = new LinkedHashMap<>();
			expect('{');
			skipWhitespace();
			if (peek() == '}') {
				this.position++;
				return object;
			}
			while (true) {
				skipWhitespace();
				if (peek() != '"') {
					throw error("expected a string key");
				}
				String key = string();
				skipWhitespace();
				expect(':');
				skipWhitespace();
				object.put(key, value(depth + 1));
				skipWhitespace();
				if (peek() == ',') {
					this.position++;
					continue;
				}
				expect('}');
				return object;
			}
		}

		private List<Object> array(int depth) {
			List<Object> array = new ArrayList<>();
			expect('[');
			skipWhitespace();
			if (peek() == ']') {
				this.position++;
				return array;
			}
			while (true) {
				skipWhitespace();
				array.add(value(depth + 1));
				skipWhitespace();
				if (peek() == ',') {
					this.position++;
					continue;
				}
				expect(']');
				return array;
			}
		}

		private @Nullable Object literal(String word, @Nullable Object value) {
			if (!this.text.startsWith(word, this.position)) {
				throw error("invalid literal");
			}
			this.position += word.length();
			return value;
		}

		private String string() {
			expect('"');
			StringBuilder out = new StringBuilder();
			while (true) {
				char c = peek();
				this.position++;
				if (c == '"') {
					return out.toString();
				}
				if (c < 0x20) {
					throw error("unescaped control character in a string");
				}
				if (c != '\\') {
					out.append(c);
					continue;
				}
				char escape = peek();
				this.position++;
				switch (escape) {
					case '"', '\\', '/' -> out.append(escape);
					case 'b' -> out.append('\b');
					case 'f' -> out.append('\f');
					case 'n' -> out.append('\n');
					case 'r' -> out.append('\r');
					case 't' -> out.append('\t');
					case 'u' -> out.append(unicodeEscape());
					default -> throw error("invalid escape '\\" + escape + "'");
				}
			}
		}

		private char unicodeEscape() {
			if (this.position + 4 > this.text.length()) {
				throw error("incomplete unicode escape");
			}
			int code = 0;
			for (int i = 0; i < 4; i++) {
				int digit = Character.digit(this.text.charAt(this.position + i), 16);
				if (digit < 0) {
					throw error("invalid unicode escape");
				}
				code = code * 16 + digit;
			}
			this.position += 4;
			return (char) code;
		}

		private Object number() {
			int start = this.position;
			if (peek() == '-') {
				this.position++;
			}
			if (peek() == '0') {
				this.position++;
			}
			else {
				digits();
			}
			boolean integral = true;
			if (!atEnd() && this.text.charAt(this.position) == '.') {
				integral = false;
				this.position++;
				digits();
			}
			if (!atEnd() && (this.text.charAt(this.position) == 'e' || this.text.charAt(this.position) == 'E')) {
				integral = false;
				this.position++;
				if (!atEnd() && (this.text.charAt(this.position) == '+' || this.text.charAt(this.position) == '-')) {
					this.position++;
				}
				digits();
			}
			String number = this.text.substring(start, this.position);
			if (integral) {
				try {
					return Long.parseLong(number);
				}
				catch (NumberFormatException ex) {
					// Too large for a long
				}
			}
			return Double.parseDouble(number);
		}

		private void digits() {
			char c = peek();
			if (c < '0' || c > '9') {
				throw error("expected a digit");
			}
			while (!atEnd() && this.text.charAt(this.position) >= '0' && this.text.charAt(this.position) <= '9') {
				this.position++;
			}
		}

	}

}
