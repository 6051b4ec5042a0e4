package io.github.clusterstarter.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.jayway.jsonpath.JsonPath;
import io.github.clusterstarter.test.ClusterLauncher;
import io.github.clusterstarter.test.DumpClusterOutputOnFailure;
import io.github.clusterstarter.test.RawHttp;
import io.github.clusterstarter.test.RunningCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's cart and form login, with a new connection for every request so that the
 * kernel spreads them over the workers: the workers share their sessions, and the
 * sessions outlive restarts, kills and scaling of the workers.
 */
@ExtendWith(DumpClusterOutputOnFailure.class)
class SharedSessionsIT {

	private RunningCluster cluster;

	@TempDir
	Path temp;

	@AfterEach
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void aLoginAndACartHoldAcrossWorkersRollingRestartsKillsAndScaling() throws Exception {
		this.cluster = ClusterLauncher.forJar(sampleJar().toPath())
			.withProperties("cluster.worker.cds.enabled=false",
					"cluster.sessions.directory=" + this.temp.resolve("sessions"))
			.start();
		Browser browser = new Browser(this.cluster.port());
		assertThat(browser.get("/account").status()).isEqualTo(302);
		String anonymousSession = browser.cookie("SESSION");
		RawHttp.Response login = browser.logIn("admin", "admin");
		assertThat(login.status()).isEqualTo(302);
		assertThat(login.headerValues("Location")).singleElement().asString().endsWith("/account?continue");
		// Protection against session fixation gave the session a new id, on whichever worker
		assertThat(browser.cookie("SESSION")).isNotNull().isNotEqualTo(anonymousSession);
		Cart cart = new Cart(browser);
		assertServedByEveryWorker(browser, cart);

		Collection<Long> before = this.cluster.workers().values();
		this.cluster.signalMaster("HUP");
		await().atMost(Duration.ofMinutes(2))
			.until(() -> this.cluster.workers().size() == 2
					&& this.cluster.workers().values().stream().noneMatch(before::contains));
		this.cluster.awaitReady();
		assertServedByEveryWorker(browser, cart);

		this.cluster.kill(1);
		this.cluster.awaitReady();
		assertServedByEveryWorker(browser, cart);

		this.cluster.signalMaster("TTIN");
		await().atMost(Duration.ofMinutes(2)).until(() -> this.cluster.workers().size() == 3);
		assertServedByEveryWorker(browser, cart);
		this.cluster.signalMaster("TTOU");
		await().atMost(Duration.ofMinutes(2)).until(() -> this.cluster.workers().size() == 2);
		assertServedByEveryWorker(browser, cart);

		// Logging out invalidates the session on every worker
		RawHttp.Response logout = browser.logOut();
		assertThat(logout.status()).isEqualTo(302);
		for (int i = 0; i < 4; i++) {
			assertThat(browser.get("/account").status()).isEqualTo(302);
		}
	}

	@Test
	void aSessionsDirectoryThatAnotherUserCanWriteToStopsTheStart() throws Exception {
		Path planted = Files.createDirectories(this.temp.resolve("sessions"));
		Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));
		this.cluster = ClusterLauncher.forJar(sampleJar().toPath())
			.withProperties("cluster.worker.cds.enabled=false", "cluster.sessions.directory=" + planted)
			.startWithoutWaiting();
		assertThat(this.cluster.awaitExit(Duration.ofMinutes(1))).isNotZero();
		assertThat(this.cluster.output()).contains("APPLICATION FAILED TO START")
			.contains("The workers cannot share HTTP sessions: the sessions directory is refused")
			.contains("is writable by its group or others")
			.contains("cluster.sessions.shared=false")
			.doesNotContain("Started SampleApplication");
	}

	/**
	 * Ask for the account page and add to the cart until every worker has answered: each
	 * answer must show the login and every item added before, wherever it was added.
	 */
	private void assertServedByEveryWorker(Browser browser, Cart cart) throws IOException {
		int workers = this.cluster.workers().size();
		Set<Integer> accounts = new HashSet<>();
		Set<Integer> carts = new HashSet<>();
		for (int i = 0; i < 40 && (accounts.size() < workers || carts.size() < workers); i++) {
			RawHttp.Response account = browser.get("/account");
			assertThat(account.status()).as(account.toString()).isEqualTo(200);
			assertThat(JsonPath.<String>read(account.body(), "$.user")).isEqualTo("admin");
			accounts.add(JsonPath.read(account.body(), "$.worker"));
			carts.add(cart.add());
			if (i % 3 == 2) {
				// Workers take new connections in turn: shift which one gets the next request
				browser.get("/hello");
			}
		}
		assertThat(accounts).hasSize(workers);
		assertThat(carts).hasSize(workers);
	}

	private static File sampleJar() {
		return new File(System.getProperty("sample.jar", "target/sample-app.jar"));
	}

	/**
	 * The cart of one browser, which counts every item added.
	 */
	private static final class Cart {

		private final Browser browser;

		private int items;

		Cart(Browser browser) {
			this.browser = browser;
		}

		/**
		 * Add an item and check the count.
		 * @return the worker that answered
		 */
		int add() throws IOException {
			RawHttp.Response response = this.browser.post("/cart/items");
			assertThat(response.status()).as(response.toString()).isEqualTo(200);
			this.items++;
			Map<String, Object> cart = JsonPath.read(response.body(), "$");
			assertThat(cart.get("items")).as("items after %d added", this.items).isEqualTo(this.items);
			return (Integer) cart.get("worker");
		}

	}

}
