package io.github.clusterstarter.testapp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.github.clusterstarter.worker.ClusterWorkerIdAssignedEvent;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Application that the integration tests run as a cluster from the test class path, on
 * any server and stack ({@link io.github.clusterstarter.test.WebStack}).
 * {@code --testapp.fail-on-boot=true} makes every worker fail while booting,
 * {@code --testapp.fail-on-boot-file=PATH} every worker that boots while that file
 * exists, and {@code --testapp.fail-boot-of-worker=ID} every process of that worker id.
 */
@SpringBootApplication
public class TestApplication {

	public static void main(String[] args) {
		SpringApplication.run(TestApplication.class, args);
	}

	@Bean
	ApplicationRunner failOnBoot(@Value("${testapp.fail-on-boot:false}") boolean fail,
			@Value("${testapp.fail-on-boot-file:}") String failFile,
			@Value("${testapp.fail-boot-of-worker:0}") int failingWorker, @Value("${cluster.worker.id:0}") int worker) {
		return (arguments) -> {
			if (fail) {
				throw new IllegalStateException("Boot failure requested by testapp.fail-on-boot");
			}
			if (failingWorker != 0 && failingWorker == worker) {
				throw new IllegalStateException(
						"Boot failure of worker " + worker + " requested by testapp.fail-boot-of-worker");
			}
			if (!failFile.isEmpty() && Files.exists(Path.of(failFile))) {
				throw new IllegalStateException("Boot failure requested by " + failFile);
			}
		};
	}

	/**
	 * Tells which worker answered, and on which web server and stack: Spring MVC and
	 * WebFlux both serve these annotated controllers.
	 */
	@RestController
	static class WhoAmI {

		private final Environment environment;

		private final ApplicationContext context;

		/**
		 * The worker id this process took over as a standby, 0 if it did not.
		 */
		private volatile int assigned;

		WhoAmI(Environment environment, ApplicationContext context) {
			this.environment = environment;
			this.context = context;
		}

		@GetMapping("/whoami")
		Map<String, Object> whoami() {
			// Not a web application when a worker runs it as a child process of its own
			String server = (this.context instanceof WebServerApplicationContext web && web.getWebServer() != null)
					? web.getWebServer().getClass().getSimpleName() : "none";
			return Map.of("worker", this.environment.getProperty("cluster.worker.id", Integer.class, 0), "pid",
					ProcessHandle.current().pid(), "server", server, "stack",
					this.context.containsBean("dispatcherServlet") ? "mvc" : "webflux", "assigned", this.assigned);
		}

		@EventListener
		void on(ClusterWorkerIdAssignedEvent event) {
			this.assigned = event.getWorkerId();
		}

	}

}
