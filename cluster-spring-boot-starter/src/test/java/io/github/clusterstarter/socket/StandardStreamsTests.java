package io.github.clusterstarter.socket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StandardStreamsTests {

	@Test
	void saveAndRestoreKeepStandardStreams() throws IOException {
		Path out = Files.readSymbolicLink(Path.of("/proc/self/fd/1"));
		Path err = Files.readSymbolicLink(Path.of("/proc/self/fd/2"));
		StandardStreams streams = StandardStreams.save();
		streams.restore();
		streams.restore();
		assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/1"))).isEqualTo(out);
		assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/2"))).isEqualTo(err);
		System.out.println("Standard output still works");
		assertThat(System.out.checkError()).isFalse();
	}

}
