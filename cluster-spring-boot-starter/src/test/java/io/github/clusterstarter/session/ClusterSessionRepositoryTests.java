package io.github.clusterstarter.session;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.session.events.AbstractSessionEvent;
import org.springframework.session.events.SessionCreatedEvent;
import org.springframework.session.events.SessionDeletedEvent;
import org.springframework.session.events.SessionExpiredEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ClusterSessionRepository}: two repositories on one directory stand for
 * two workers.
 */
class ClusterSessionRepositoryTests {

	private static final Duration TIMEOUT = Duration.ofMinutes(30);

	@TempDir
	Path directory;

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));

	private final List<AbstractSessionEvent> events = new ArrayList<>();

	private ClusterSessionRepository worker1;

	private ClusterSessionRepository worker2;

	@BeforeEach
	void openWorkers() throws IOException {
		this.worker1 = repository();
		this.worker2 = repository();
	}

	private ClusterSessionRepository repository() throws IOException {
		return new ClusterSessionRepository(new SessionStore(this.directory), getClass().getClassLoader(),
				(event) -> {
					synchronized (this.events) {
						this.events.add((AbstractSessionEvent) event);
					}
				}, TIMEOUT, this.clock);
	}

	@AfterEach
	void closeWorkers() throws IOException {
		this.worker1.close();
		this.worker2.close();
	}

	@Test
	void aSessionCreatedByOneWorkerIsSeenAndChangedByTheOther() {
		ClusterSession created = this.worker1.createSession();
		created.setAttribute("items", 1);
		this.worker1.save(created);
		assertThat(this.events).singleElement().isInstanceOf(SessionCreatedEvent.class);
		ClusterSession found = this.worker2.findById(created.getId());
		assertThat(found).isNotNull();
		assertThat(found.<Integer>getAttribute("items")).isEqualTo(1);
		assertThat(found.getMaxInactiveInterval()).isEqualTo(TIMEOUT);
		found.setAttribute("items", 2);
		this.worker2.save(found);
		assertThat(this.worker1.findById(created.getId()).<Integer>getAttribute("items")).isEqualTo(2);
	}

	@Test
	void anObjectChangedInPlaceAfterItWasReadIsStored() {
		ClusterSession created = this.worker1.createSession();
		created.setAttribute("cart", new ArrayList<>(List.of("book")));
		this.worker1.save(created);
		ClusterSession found = this.worker2.findById(created.getId());
		found.<List<String>>getAttribute("cart").add("pen");
		this.worker2.save(found);
		assertThat(this.worker1.findById(created.getId()).<List<String>>getAttribute("cart")).containsExactly("book",
				"pen");
	}

	@Test
	void aReaderThatMeetsAFileInMidWriteWaitsForTheWriterInsteadOfLosingTheSession() throws Exception {
		ClusterSession created = this.worker1.createSession();
		created.setAttribute("items", 3);
		this.worker1.save(created);
		String id = created.getId();
		Path file = this.directory.resolve(id);
		byte[] whole = Files.readAllBytes(file);
		byte[] torn = whole.clone();
		for (int i = torn.length / 2; i < torn.length; i++) {
			torn[i] = 0;
		}
		CompletableFuture<@Nullable ClusterSession> read;
		// Another worker's writer that the scheduler stopped halfway through the file
		try (SessionLocks writer = new SessionLocks(this.directory.resolve(".lock"))) {
			read = writer.locked(id, id, () -> {
				Files.write(file, torn);
				CompletableFuture<@Nullable ClusterSession> reading = CompletableFuture
					.supplyAsync(() -> this.worker2.findById(id));
				assertThatExceptionOfType(TimeoutException.class)
					.as("the reader waits for the writer")
					.isThrownBy(() -> reading.get(300, TimeUnit.MILLISECONDS));
				Files.write(file, whole);
				return reading;
			});
		}
		ClusterSession found = read.get(10, TimeUnit.SECONDS);
		assertThat(found).isNotNull();
		assertThat(found.<Integer>getAttribute("items")).isEqualTo(3);
	}

	@Test
	void changesOfDifferentAttributesByTwoWorkersAtOnceAreAllKept() throws Exception {
		ClusterSession created = this.worker1.createSession();
		this.worker1.save(created);
		String id = created.getId();
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> writes = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				ClusterSessionRepository worker = (i % 2 == 0) ? this.worker1 : this.worker2;
				String name = "attribute-" + i;
				writes.add(threads.submit(() -> {
					ClusterSession session = worker.findById(id);
					session.setAttribute(name, name);
					worker.save(session);
				}));
			}
			for (Future<?> write : writes) {
				write.get();
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(this.worker2.findById(id).getAttributeNames()).hasSize(200);
	}

	@Test
	void aSessionWhoseFileShrinksIsReadWhole() {
		ClusterSession created = this.worker1.createSession();
		created.setAttribute("kept", "yes");
		created.setAttribute("large", "x".repeat(10_000));
		this.worker1.save(created);
		ClusterSession found = this.worker2.findById(created.getId());
		found.removeAttribute("large");
		this.worker2.save(found);
		assertThat(this.worker1.findById(created.getId()).getAttributeNames()).containsExactly("kept");
		assertThat(this.directory.resolve(created.getId())).satisfies((file) -> assertThat(Files.size(file))
			.isLessThan(1000));
	}

	@Test
	void aChangedIdMovesTheSessionAndTheOldIdIsGone() {
		ClusterSession created = this.worker1.createSession();
		created.setAttribute("user", "admin");
		this.worker1.save(created);
		String oldId = created.getId();
		ClusterSession found = this.worker2.findById(oldId);
		String newId = found.changeSessionId();
		this.worker2.save(found);
		assertThat(this.worker1.findById(oldId)).isNull();
		assertThat(this.worker1.findById(newId).<String>getAttribute("user")).isEqualTo("admin");
	}

	@Test
	void aSessionInvalidatedOnOneWorkerIsNotBroughtBackByARequestOnTheOther() {
		ClusterSession created = this.worker1.createSession();
		this.worker1.save(created);
		ClusterSession inUse = this.worker2.findById(created.getId());
		this.worker1.deleteById(created.getId());
		inUse.setAttribute("late", "write");
		this.worker2.save(inUse);
		assertThat(this.worker1.findById(created.getId())).isNull();
		assertThat(this.events).filteredOn(SessionDeletedEvent.class::isInstance).hasSize(1);
	}

	@Test
	void aSessionExpiresOnceAfterItsTimeoutWithoutUse() {
		ClusterSession created = this.worker1.createSession();
		this.worker1.save(created);
		this.clock.advance(TIMEOUT.minusSeconds(10));
		ClusterSession used = this.worker2.findById(created.getId());
		used.setLastAccessedTime(this.clock.instant());
		this.worker2.save(used);
		this.clock.advance(Duration.ofMinutes(20));
		assertThat(this.worker1.findById(created.getId())).as("used 20 minutes ago").isNotNull();
		this.clock.advance(TIMEOUT);
		assertThat(this.worker1.findById(created.getId())).isNull();
		assertThat(this.worker2.findById(created.getId())).isNull();
		assertThat(this.events).filteredOn(SessionExpiredEvent.class::isInstance).hasSize(1);
	}

	@Test
	void anAttributeThatIsNotSerializableFailsWhereItIsSetNamingIt() {
		ClusterSession session = this.worker1.createSession();
		assertThatExceptionOfType(SessionAttributeNotSerializableException.class)
			.isThrownBy(() -> session.setAttribute("lock", new Object()))
			.withMessageContaining("Session attribute 'lock' (a java.lang.Object) is not Serializable")
			.withMessageContaining("cluster.sessions.shared=false");
		assertThat(session.getAttributeNames()).isEmpty();
	}

	@Test
	void anAttributeThatRefersToSomethingNotSerializableFailsTheSaveNamingIt() {
		ClusterSession session = this.worker1.createSession();
		session.setAttribute("basket", new Basket(new Object()));
		assertThatExceptionOfType(SessionAttributeNotSerializableException.class)
			.isThrownBy(() -> this.worker1.save(session))
			.withMessageContaining("Session attribute 'basket'")
			.withMessageContaining(Basket.class.getName())
			.withMessageContaining("refers to a java.lang.Object, which is not Serializable");
		assertThat(this.worker2.findById(session.getId())).isNull();
	}

	@Test
	void anAttributeThatCannotBeReadAnyMoreIsDroppedAndTheRestKept() throws IOException {
		ClusterSession created = this.worker1.createSession();
		created.setAttribute("kept", "yes");
		this.worker1.save(created);
		StoredSession stored = new SessionStore(this.directory).load(created.getId());
		Map<String, byte[]> attributes = new LinkedHashMap<>(stored.attributes());
		attributes.put("changed", new byte[] { (byte) 0xac, (byte) 0xed, 0, 5, 1, 2, 3 });
		Files.write(this.directory.resolve(created.getId()),
				new StoredSession(stored.creationTime(), stored.lastAccessedTime(), stored.maxInactiveInterval(),
						attributes)
					.encode());
		ClusterSession found = this.worker2.findById(created.getId());
		assertThat(found.<Object>getAttribute("changed")).isNull();
		assertThat(found.<String>getAttribute("kept")).isEqualTo("yes");
		this.worker2.save(found);
		assertThat(this.worker1.findById(created.getId()).getAttributeNames()).containsExactly("kept");
	}

	@Test
	void aPlantedOrDamagedFileIsNoSession() throws IOException {
		Files.writeString(this.directory.resolve("0f7c9a3e-planted"), "rm -rf /");
		Files.write(this.directory.resolve("truncated"), new byte[] { 0x43, 0x4c, 0x53, 0x31, 0, 0 });
		ClusterSession session = this.worker1.createSession();
		session.setAttribute("items", 1);
		this.worker1.save(session);
		Path file = this.directory.resolve(session.getId());
		byte[] content = Files.readAllBytes(file);
		content[content.length - 6] ^= 1;
		Files.write(file, content);
		assertThat(this.worker2.findById(session.getId())).as("a flipped bit").isNull();
		assertThat(this.worker1.findById("0f7c9a3e-planted")).isNull();
		assertThat(this.worker1.findById("truncated")).isNull();
	}

	@Test
	void anIdThatIsNotAPlainNameIsNoSession() throws IOException {
		// A valid session file, so that only the id check keeps it out
		Files.write(this.directory.getParent().resolve("outside"),
				new StoredSession(this.clock.instant(), this.clock.instant(), TIMEOUT, Map.of()).encode());
		for (String id : List.of("../outside", "/etc/passwd", "", ".lock", "a/b", "x".repeat(129), "a b")) {
			assertThat(this.worker1.findById(id)).as(id).isNull();
		}
		this.worker1.deleteById("../outside");
		assertThat(this.directory.getParent().resolve("outside")).exists();
	}

	@Test
	void aRequestThatChangesNothingOnlyRecordsTheAccess() throws IOException {
		// Only the access record is written, so the rest cannot be torn
		ClusterSession created = this.worker1.createSession();
		created.setAttribute("items", 1);
		this.worker1.save(created);
		Path file = this.directory.resolve(created.getId());
		Object inode = Files.getAttribute(file, "unix:ino");
		this.clock.advance(Duration.ofMinutes(1));
		ClusterSession found = this.worker2.findById(created.getId());
		found.getAttribute("items");
		found.setLastAccessedTime(this.clock.instant());
		this.worker2.save(found);
		assertThat(Files.getAttribute(file, "unix:ino")).isEqualTo(inode);
		assertThat(this.worker1.findById(created.getId()).getLastAccessedTime()).isEqualTo(this.clock.instant());
		try (SessionStore fresh = new SessionStore(this.directory)) {
			assertThat(fresh.load(created.getId()).lastAccessedTime()).isEqualTo(this.clock.instant());
		}
	}

	@Test
	void theCleanerDeletesExpiredSessionsOnThePrimaryOnly() throws IOException {
		ClusterSession expiring = this.worker1.createSession();
		this.worker1.save(expiring);
		this.clock.advance(TIMEOUT.plusMinutes(1));
		ClusterSession live = this.worker1.createSession();
		this.worker1.save(live);
		assertThat(new ExpiredSessionCleaner(this.worker2, () -> false, null, Duration.ofMinutes(1), this.clock)
			.cleanUp()).isZero();
		assertThat(new ExpiredSessionCleaner(this.worker2, () -> true, null, Duration.ofMinutes(1), this.clock)
			.cleanUp()).isOne();
		assertThat(this.worker1.findById(live.getId())).isNotNull();
		assertThat(this.directory.resolve(expiring.getId())).doesNotExist();
		assertThat(this.events).filteredOn(SessionExpiredEvent.class::isInstance).singleElement()
			.satisfies((event) -> assertThat(event.getSessionId()).isEqualTo(expiring.getId()));
	}

	record Basket(Object content) implements Serializable {

	}

	static final class MutableClock extends Clock {

		private volatile Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
