package io.github.clusterstarter.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the Prometheus text format (0.0.4) scrapes of several workers into one: every
 * sample gets a {@code worker} label, and the samples of each metric family are grouped
 * under one {@code # HELP} and {@code # TYPE}, as the format requires.
 */
final class PrometheusTextMerger {

	static final String WORKER_LABEL = "worker";

	private PrometheusTextMerger() {
	}

	/**
	 * Merge scrapes.
	 * @param scrapes each worker's scrape by worker id
	 * @return the merged scrape
	 */
	static String merge(Map<Integer, String> scrapes) {
		Map<String, Family> families = new LinkedHashMap<>();
		for (Map.Entry<Integer, String> scrape : scrapes.entrySet()) {
			Family family = null;
			for (String line : scrape.getValue().split("\n")) {
				if (line.isBlank()) {
					continue;
				}
				if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
					String name = line.substring(7).split(" ", 2)[0];
					family = families.computeIfAbsent(name, (key) -> new Family());
					family.header(line);
				}
				else if (!line.startsWith("#")) {
					if (family == null) {
						family = families.computeIfAbsent("", (key) -> new Family());
					}
					family.samples.add(labelled(line, scrape.getKey()));
				}
			}
		}
		StringBuilder merged = new StringBuilder();
		for (Family family : families.values()) {
			family.headers.forEach((line) -> merged.append(line).append('\n'));
			family.samples.forEach((line) -> merged.append(line).append('\n'));
		}
		return merged.toString();
	}

	/**
	 * Add the worker label to one sample line. A {@code worker} label the sample already
	 * has becomes {@code exported_worker}, as Prometheus renames a scraped label that
	 * clashes with a target label.
	 */
	static String labelled(String sample, int workerId) {
		String label = WORKER_LABEL + "=\"" + workerId + "\"";
		int brace = sample.indexOf('{');
		int space = sample.indexOf(' ');
		if (brace >= 0 && (space < 0 || brace < space)) {
			boolean noLabels = sample.charAt(brace + 1) == '}';
			String labels = sample.substring(brace + 1);
			if (labels.startsWith(WORKER_LABEL + "=\"")) {
				labels = "exported_" + labels;
			}
			labels = labels.replace("," + WORKER_LABEL + "=\"", ",exported_" + WORKER_LABEL + "=\"");
			return sample.substring(0, brace + 1) + label + (noLabels ? "" : ",") + labels;
		}
		return sample.substring(0, space) + "{" + label + "}" + sample.substring(space);
	}

	private static final class Family {

		private final List<String> headers = new ArrayList<>();

		private final List<String> samples = new ArrayList<>();

		void header(String line) {
			String kind = line.substring(0, 7);
			if (this.headers.stream().noneMatch((existing) -> existing.startsWith(kind))) {
				this.headers.add(line);
			}
		}

	}

}
