package io.github.clusterstarter.testapp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Starts processes from a worker, as an application might: {@code POST /children/sleep}
 * starts {@code sleep} with the worker's standard streams ({@code inheritIO()}) and
 * answers its pid; {@code POST /children/app} runs this application again as a child,
 * not as a web application, with its output in a file, and answers the child's pid.
 */
@RestController
class ChildProcesses {

	@PostMapping("/children/sleep")
	long sleep(@RequestParam int seconds) throws IOException {
		return new ProcessBuilder("sleep", Integer.toString(seconds)).inheritIO().start().pid();
	}

	@PostMapping("/children/app")
	long app(@RequestParam String output) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
				TestApplication.class.getName(), "--spring.main.web-application-type=none");
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(Path.of(output).toFile())
			.start()
			.pid();
	}

}
