package io.github.clusterstarter.socket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

class NativeMemoryTests {

	@Test
	void trimCallsTheCLibrary() {
		assertThatNoException().isThrownBy(NativeMemory::trim);
		// glibc answers 0 or 1; a missing symbol would have thrown
		assertThat(LibC.get().malloc_trim(0)).isBetween(0, 1);
	}

}
