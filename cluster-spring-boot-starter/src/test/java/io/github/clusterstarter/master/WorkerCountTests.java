package io.github.clusterstarter.master;

import io.github.clusterstarter.diagnostics.ClusterConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WorkerCountTests {

	@Test
	void absentOrZeroMeansNoCluster() {
		assertThat(WorkerCount.isClustered(null)).isFalse();
		assertThat(WorkerCount.isClustered(" ")).isFalse();
		assertThat(WorkerCount.isClustered("0")).isFalse();
		assertThat(WorkerCount.isClustered(" 0 ")).isFalse();
	}

	@Test
	void invalidValuesAskForACluster() {
		// so that they fail when the master validates them instead of being ignored
		assertThat(WorkerCount.isClustered("-1")).isTrue();
		assertThat(WorkerCount.isClustered("many")).isTrue();
		assertThat(WorkerCount.isClustered("00")).isTrue();
		assertThat(WorkerCount.isClustered("+0")).isTrue();
	}

	@Test
	void parsesNumbersAndAuto() {
		assertThat(WorkerCount.parse("3", 2)).isEqualTo(3);
		assertThat(WorkerCount.parse(" 2 ", 2)).isEqualTo(2);
		assertThat(WorkerCount.parse("auto", 6)).isEqualTo(6);
		assertThat(WorkerCount.parse("AUTO", 6)).isEqualTo(6);
		assertThat(WorkerCount.parse("32", 2)).isEqualTo(32);
	}

	@ParameterizedTest
	@ValueSource(strings = { "-1", "many", "1.5", "33", "2147483648", "00", "+0", "+2", "02", "0x2", "2e0", "" })
	void rejectsInvalidValues(String value) {
		assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(() -> WorkerCount.parse(value, 2))
			.withMessage("Invalid value '%s' for property 'cluster.workers': must be 'auto', 0 (no cluster) or a whole "
					+ "number from 1 to 32 (16 per available processor).", value)
			.satisfies((ex) -> assertThat(ex.getAction()).contains("cluster.workers"));
	}

}
