package io.github.clusterstarter.testapp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Starts processes from a worker, as an application might: {@code POST /children/sleep}
 * starts {@code sleep} with the worker's standard streams ({@code inheritIO()}), with a
 * variable of its own in its environment if {@code ownVariable=true}, and answers its pid; {@code POST /children/app} runs this application again as a child,
 * not as a web application, with its output in a file, and answers the child's pid.
 */
@RestController
class ChildProcesses {

	@PostMapping("/children/sleep")
	long sleep(@RequestParam int seconds, @RequestParam(defaultValue = "false") boolean ownVariable)
			throws IOException {
		ProcessBuilder builder = new ProcessBuilder("sleep", Integer.toString(seconds)).inheritIO();
		if (ownVariable) {
			// The JDK then starts the child with its own copy of the environment, not the C library's
			builder.environment().put("TESTAPP_CHILD", "true");
		}
		return builder.start().pid();
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
