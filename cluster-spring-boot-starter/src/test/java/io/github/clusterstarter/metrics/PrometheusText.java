package io.github.clusterstarter.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, to check that a merged
 * scrape is one Prometheus accepts: well-formed lines, at most one HELP and TYPE per
 * family, before its samples, every family's samples together, no duplicate series.
 */
public final class PrometheusText {

	private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

	private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

	private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_total", "_created", "_info");

	private PrometheusText() {
	}

	/**
	 * Parse a scrape.
	 * @param text the scrape
	 * @return its samples
	 * @throws IllegalArgumentException if it is not valid
	 */
	public static List<Sample> parse(String text) {
		List<Sample> samples = new ArrayList<>();
		Set<String> typed = new HashSet<>();
		Set<String> finishedFamilies = new HashSet<>();
		Set<String> series = new HashSet<>();
		String currentFamily = null;
		int number = 0;
		for (String line : text.split("\n")) {
			number++;
			if (line.isEmpty()) {
				continue;
			}
			if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
				String[] parts = line.substring(7).split(" ", 2);
				require(NAME.matcher(parts[0]).matches(), number, "invalid metric name");
				if (line.startsWith("# TYPE ")) {
					require(parts.length == 2 && TYPES.contains(parts[1]), number, "invalid type");
					require(typed.add(parts[0]), number, "second TYPE for " + parts[0]);
				}
				currentFamily = switchFamily(currentFamily, parts[0], finishedFamilies, number);
				continue;
			}
			if (line.startsWith("#")) {
				continue;
			}
			Sample sample = sample(line, number);
			String family = familyOf(sample.name(), typed);
			currentFamily = switchFamily(currentFamily, family, finishedFamilies, number);
			require(series.add(sample.name() + sample.labels()), number, "duplicate series " + line);
			samples.add(sample);
		}
		return samples;
	}

	private static String switchFamily(String current, String family, Set<String> finished, int number) {
		if (!family.equals(current)) {
			require(!finished.contains(family), number, "samples of " + family + " are not together");
			if (current != null) {
				finished.add(current);
			}
		}
		return family;
	}

	private static String familyOf(String name, Set<String> typed) {
		for (String suffix : SUFFIXES) {
			if (name.endsWith(suffix) && typed.contains(name.substring(0, name.length() - suffix.length()))) {
				return name.substring(0, name.length() - suffix.length());
			}
		}
		return name;
	}

	private static Sample sample(String line, int number) {
		Matcher name = NAME.matcher(line);
		require(name.lookingAt(), number, "invalid sample");
		int position = name.end();
		Map<String, String> labels = new LinkedHashMap<>();
		if (position < line.length() && line.charAt(position) == '{') {
			// Label values may hold braces, as in uri="/orders/{id}"
			Matcher label = LABEL.matcher(line);
			position++;
			while (position < line.length() && line.charAt(position) != '}') {
				require(label.region(position, line.length()).lookingAt(), number, "invalid label in " + line);
				require(labels.put(label.group(1), label.group(2)) == null, number, "repeated label");
				position = label.end();
				if (position < line.length() && line.charAt(position) != '}') {
					require(line.charAt(position) == ',', number, "expected a comma in " + line);
					position++;
				}
			}
			require(position < line.length(), number, "unclosed labels");
			position++;
		}
		String[] rest = line.substring(position).trim().split(" ");
		require(rest.length == 1 || rest.length == 2, number, "invalid value");
		double value = switch (rest[0]) {
			case "+Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			case "NaN" -> Double.NaN;
			default -> Double.parseDouble(rest[0]);
		};
		return new Sample(name.group(), labels, value);
	}

	private static void require(boolean condition, int line, String message) {
		if (!condition) {
			throw new IllegalArgumentException("Line " + line + ": " + message);
		}
	}

	/**
	 * One sample.
	 *
	 * @param name the sample name
	 * @param labels its labels
	 * @param value its value
	 */
	public record Sample(String name, Map<String, String> labels, double value) {

	}

}
