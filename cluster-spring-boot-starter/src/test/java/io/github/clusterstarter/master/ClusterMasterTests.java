package io.github.clusterstarter.master;

import java.time.Duration;
import java.util.Map;

import io.github.clusterstarter.control.ControlMessage;
import io.github.clusterstarter.control.ErrorCode;
import io.github.clusterstarter.status.ClusterStatus;
import io.github.clusterstarter.status.MasterState;
import io.github.clusterstarter.status.ReplacementReason;
import io.github.clusterstarter.status.WorkerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClusterMaster}: its event loop, and how it takes control connections
 * and messages.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterMasterTests {

	@Test
	void startsWorkersWithTheirIdentityAtMostStartConcurrencyAtATime(CapturedOutput output) {
		MasterHarness harness = new MasterHarness(new TestSettings().workers(3).startConcurrency(2));
		assertThat(harness.launcher.launched).hasSize(2);
		FakeWorkerJvm first = harness.worker(1);
		assertThat(first.identity.workerId()).isEqualTo(1);
		assertThat(first.identity.controlSocket()).isEqualTo(MasterHarness.ADDRESS.controlSocket());
		assertThat(first.identity.secret()).isSameAs(MasterHarness.ADDRESS.secret());
		assertThat(first.identity.masterPid()).isEqualTo(ProcessHandle.current().pid());
		harness.ready(first);
		assertThat(harness.launcher.launched).hasSize(3);
		assertThat(harness.worker(3).identity.workerId()).isEqualTo(3);
		assertThat(output).contains("listening on 127.0.0.1:8080; starting 3 worker(s), 2 at a time")
			.contains("Started Worker 1 (pid " + first.pid + ")");
	}

	@Test
	void announcesTheClusterReadyOnceEveryWorkerIsReadyAndGivesMemoryBack(CapturedOutput output) {
		MasterHarness harness = new MasterHarness(new TestSettings());
		harness.clock.advance(Duration.ofMillis(1500));
		harness.ready(harness.worker(1));
		assertThat(output).contains("Worker 1 (pid 1001) is ready (booted in 1500 ms)").doesNotContain("Cluster ready");
		harness.ready(harness.worker(2));
		assertThat(output).contains("Cluster ready: 2 worker(s) serving port 8080 in 1500 ms");
		assertThat(harness.footprintShrinks()).isOne();
		harness.exit(harness.worker(2), 1);
		harness.ready(harness.worker(2));
		assertThat(output.toString().split("Cluster ready", -1)).hasSize(2);
		assertThat(harness.footprintShrinks()).isOne();
	}

	@Test
	void welcomesAConnectionOfALiveProcessAndTellsItWhichIsPrimary() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		FakeWorkerJvm replacement = harness.worker(1);
		harness.exit(replacement, 1);
		FakeControlConnection connection = harness.connect(harness.worker(1));
		assertThat(connection.welcomed).isTrue();
		assertThat(connection.sent(ControlMessage.Primary.class)).containsExactly(new ControlMessage.Primary(1002));
	}

	@Test
	void refusesAConnectionWhosePidIsNoProcessOfItsWorker() {
		MasterHarness harness = new MasterHarness(new TestSettings());
		FakeControlConnection impostor = new FakeControlConnection(1, harness.worker(2).pid());
		harness.master.controlListener().onConnected(impostor);
		harness.settle();
		assertThat(impostor.welcomed).isFalse();
		assertThat(impostor.refused).isEqualTo("pid 1002 is not a process of worker 1");
	}

	@Test
	void aHandlerThatFailsIsLoggedAnsweredAsInternalAndTheLoopCarriesOn(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		FakeControlConnection connection = harness.connection(harness.worker(1));
		connection.failingAnswer = ControlMessage.Status.class;
		ControlMessage.MasterMessage answer = harness.request(connection, new ControlMessage.StatusRequest());
		assertThat(answer).isInstanceOfSatisfying(ControlMessage.Failure.class,
				(failure) -> assertThat(failure.code()).isEqualTo(ErrorCode.INTERNAL));
		assertThat(output).contains("Unexpected error handling Received[")
			.contains("java.lang.IllegalStateException: Simulated failure answering with Status")
			.contains("at io.github.clusterstarter.master.ControlCommands");
		connection.failingAnswer = null;
		assertThat(harness.request(connection, new ControlMessage.StatusRequest()))
			.isInstanceOf(ControlMessage.Status.class);
		harness.exit(harness.worker(2), 1);
		assertThat(harness.launcher.of(2)).hasSize(2);
	}

	@Test
	void aTimerThatFailsIsLoggedAndTheOthersStillRun(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		harness.rss.put(harness.worker(1).pid(), null);
		harness.advance(Duration.ofSeconds(1));
		assertThat(output).contains("Unexpected error in sampling and recycling; the master carries on")
			.contains("java.lang.NullPointerException");
		harness.exit(harness.worker(1), 1);
		assertThat(harness.launcher.of(1)).hasSize(2);
	}

	@Test
	void aMessageOnAConnectionThatWasNeverWelcomedIsABadMessage(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		FakeWorkerJvm worker = harness.worker(1);
		FakeControlConnection unknown = new FakeControlConnection(1, worker.pid());
		ControlMessage.MasterMessage answer = harness.request(unknown, new ControlMessage.StatusRequest());
		assertThat(answer)
			.isEqualTo(new ControlMessage.Failure(ErrorCode.BAD_MESSAGE, "its connection was not welcomed"));
		harness.send(unknown, new ControlMessage.Heartbeat(1, 2, 3, 4));
		assertThat(unknown.replies).hasSize(1);
		assertThat(unknown.open).isTrue();
		assertThat(output).contains("Rejected a 'status' message from worker 1 (pid 1001): its connection was "
				+ "not welcomed");
		assertThat(harness.status(1).requestsServed()).isZero();
	}

	@Test
	void aHelloOnAWelcomedConnectionIsABadMessage(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		FakeWorkerJvm worker = harness.worker(1);
		FakeControlConnection connection = harness.connection(worker);
		ControlMessage.MasterMessage answer = harness.request(connection,
				new ControlMessage.Hello(1, 1, "secret", 1, worker.pid()));
		assertThat(answer).isEqualTo(
				new ControlMessage.Failure(ErrorCode.BAD_MESSAGE, "its connection was already welcomed"));
		assertThat(connection.open).isTrue();
		assertThat(output).contains("Rejected a 'hello' message from worker 1 (pid 1001)");
		assertThat(harness.request(connection, new ControlMessage.StatusRequest()))
			.isInstanceOf(ControlMessage.Status.class);
	}

	@Test
	void aMessageFromAProcessThatIsGoneIsABadMessage(CapturedOutput output) {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		FakeWorkerJvm worker = harness.worker(1);
		FakeControlConnection connection = harness.connection(worker);
		harness.exit(worker, 1);
		ControlMessage.MasterMessage answer = harness.request(connection, new ControlMessage.ScaleRequest(4));
		assertThat(answer).isEqualTo(new ControlMessage.Failure(ErrorCode.BAD_MESSAGE,
				"pid 1001 is no longer a process of worker 1"));
		assertThat(output).contains("Rejected a 'scale' message from worker 1 (pid 1001)");
		assertThat(harness.status().master().desiredWorkers()).isEqualTo(2);
	}

	@Test
	void answersOnTheConnectionOfTheRequestAndSendsUnaskedOnTheFirst() {
		MasterHarness harness = new MasterHarness(new TestSettings());
		FakeWorkerJvm worker = harness.worker(1);
		FakeControlConnection first = harness.connect(worker);
		FakeControlConnection second = harness.connect(worker);
		assertThat(second.welcomed).isTrue();
		harness.ready(worker);
		harness.ready(harness.worker(2));
		assertThat(harness.request(second, new ControlMessage.StatusRequest()))
			.isInstanceOf(ControlMessage.Status.class);
		assertThat(first.replies).isEmpty();
		assertThat(first.sent(ControlMessage.Primary.class)).containsExactly(new ControlMessage.Primary(0),
				new ControlMessage.Primary(1001));
		assertThat(second.sent).isEmpty();
		harness.master.controlListener().onDisconnected(first);
		harness.settle();
		assertThat(second.sent(ControlMessage.Primary.class)).containsExactly(new ControlMessage.Primary(1001));
	}

	@Test
	void reportsTheMasterAndEveryWorker() {
		MasterHarness harness = MasterHarness.allReady(new TestSettings());
		FakeWorkerJvm first = harness.worker(1);
		harness.rss.put(first.pid(), 300L << 20);
		harness.cpuNanos.put(first.pid(), 10_000_000_000L);
		harness.rss.put(ProcessHandle.current().pid(), 40L << 20);
		harness.advance(Duration.ofSeconds(1));
		harness.cpuNanos.put(first.pid(), 10_500_000_000L);
		harness.heartbeat(first, 42);
		harness.advance(Duration.ofSeconds(1));
		harness.exit(harness.worker(2), 137);
		ClusterStatus status = harness.status();
		ClusterStatus.MasterStatus master = status.master();
		assertThat(master.pid()).isEqualTo(ProcessHandle.current().pid());
		assertThat(master.uptime()).isEqualTo(Duration.ofSeconds(2));
		assertThat(master.address()).isEqualTo("127.0.0.1");
		assertThat(master.port()).isEqualTo(8080);
		assertThat(master.desiredWorkers()).isEqualTo(2);
		assertThat(master.state()).isEqualTo(MasterState.RUNNING);
		assertThat(master.rssBytes()).isEqualTo(40L << 20);
		assertThat(master.primaryWorker()).isEqualTo(1);
		assertThat(master.replacements()).isEqualTo(Map.of(ReplacementReason.CRASH, 1L));
		ClusterStatus.WorkerStatus one = status.worker(1).orElseThrow();
		assertThat(one.pid()).isEqualTo(first.pid());
		assertThat(one.state()).isEqualTo(WorkerState.READY);
		assertThat(one.uptime()).isEqualTo(Duration.ofSeconds(2));
		assertThat(one.build()).isEqualTo(MasterHarness.BUILD);
		assertThat(one.rssBytes()).isEqualTo(300L << 20);
		assertThat(one.cpuPercent()).isEqualTo(50.0);
		assertThat(one.heapUsedBytes()).isEqualTo(64L << 20);
		assertThat(one.heapMaxBytes()).isEqualTo(256L << 20);
		assertThat(one.requestsServed()).isEqualTo(42);
		assertThat(one.requestsInFlight()).isEqualTo(1);
		assertThat(one.lastHeartbeat()).isEqualTo(harness.clock.instant().minusSeconds(1));
		assertThat(one.restarts()).isZero();
		assertThat(one.lastExit()).isNull();
		ClusterStatus.WorkerStatus two = status.worker(2).orElseThrow();
		assertThat(two.pid()).isEqualTo(harness.worker(2).pid());
		assertThat(two.state()).isEqualTo(WorkerState.STARTING);
		assertThat(two.restarts()).isOne();
		assertThat(two.lastReplacement()).isEqualTo(ReplacementReason.CRASH);
		assertThat(two.lastExit()).isEqualTo(new ClusterStatus.ExitRecord(1002, 137, harness.clock.instant()));
		assertThat(status.rollout()).isNull();
	}

}
