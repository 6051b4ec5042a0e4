package io.github.clusterstarter.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * An application running as a real cluster: its master process and the workers it
 * started, whose output they share. A test gets one from
 * {@link ClusterTest @ClusterTest}, as a parameter or in a field, or starts one with a
 * {@link ClusterLauncher}.
 * <p>
 * What it reports about the workers comes from the {@code cluster} Actuator endpoint at
 * {@code /actuator/cluster}. Requests go to {@code 127.0.0.1} over a new connection
 * each, so that each goes through the kernel's accept queue of the shared socket again.
 * Every process of the cluster, also a worker orphaned by a killed master, is killed by
 * {@link #close()}, and at the latest when the test JVM exits.
 */
public final class RunningCluster implements AutoCloseable {

	/**
	 * How long to wait for the cluster to reach a state: generous, since booting JVMs
	 * compete for the CPUs, and a cluster that cannot get there fails sooner when its
	 * master gives up.
	 */
	static final Duration TIMEOUT = Duration.ofMinutes(5);

	private static final Duration PORT_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);

	private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+);");

	private static final String STATUS_PATH = "/actuator/cluster";

	private final String marker;

	private final Process master;

	private final OutputOfACluster output;

	private volatile boolean closed;

	private volatile long closedAt;

	private volatile int port;

	RunningCluster(String marker, Process master) {
		this.marker = marker;
		this.master = master;
		this.output = new OutputOfACluster(master);
	}

	/**
	 * Return the port the cluster listens on, waiting until the master logged it.
	 * @return the port
	 */
	public int port() {
		if (this.port == 0) {
			String line = awaitLine((candidate) -> LISTENING.matcher(candidate).find(), PORT_TIMEOUT);
			Matcher matcher = LISTENING.matcher(line);
			matcher.find();
			this.port = Integer.parseInt(matcher.group(2));
		}
		return this.port;
	}

	/**
	 * Return the URL of a path on the cluster.
	 * @param path the path, such as {@code /greeting}
	 * @return the URL, such as {@code http://127.0.0.1:43117/greeting}
	 */
	public String url(String path) {
		return "http://127.0.0.1:" + port() + (path.startsWith("/") ? "" : "/") + path;
	}

	/**
	 * Return the pid of the master process.
	 * @return the pid
	 */
	public long masterPid() {
		return this.master.pid();
	}

	/**
	 * Return the ready workers.
	 * @return the pid of each ready worker, by worker id
	 */
	public Map<Integer, Long> workers() {
		return inState("workers", "READY").stream().collect(Collectors.toMap((worker) -> worker.path("id").asInt(),
				(worker) -> worker.path("pid").asLong(), (first, second) -> first, TreeMap::new));
	}

	/**
	 * Return the standbys ready to take over a worker id ({@code cluster.worker.standby}).
	 * @return their pids, oldest first
	 */
	public List<Long> standbys() {
		return inState("standbys", "STANDBY").stream().map((standby) -> standby.path("pid").asLong()).toList();
	}

	private List<JsonNode> inState(String processes, String state) {
		return statusNode().path(processes).valueStream().filter((node) -> state.equals(node.path("state").asString()))
			.toList();
	}

	/**
	 * Return the cluster's status, as the {@code cluster} endpoint reports it.
	 * @return the status as JSON
	 */
	public String status() {
		try {
			return statusBody(RawHttp.get(port(), STATUS_PATH));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("GET " + STATUS_PATH + " failed", ex);
		}
	}

	private JsonNode statusNode() {
		return JsonMapper.shared().readTree(status());
	}

	/**
	 * Ask for the status while the cluster may not be serving: a request that fails, or
	 * that the master does not answer in time, gives no status.
	 */
	private @Nullable JsonNode pollStatus() {
		RawHttp.Response response;
		try {
			response = RawHttp.get(port(), STATUS_PATH);
		}
		catch (IOException ex) {
			return null;
		}
		return (response.status() >= 500) ? null : JsonMapper.shared().readTree(statusBody(response));
	}

	private static String statusBody(RawHttp.Response response) {
		if (response.status() != 200) {
			String hint = (response.status() == 404) ? " (is Actuator missing, or the endpoint not exposed?)" : "";
			throw new AssertionError("GET " + STATUS_PATH + " answered " + response.status() + hint + ": "
					+ response.body());
		}
		return response.body();
	}

	/**
	 * Wait until every worker the master keeps running is ready and no rolling restart
	 * is in progress.
	 * @throws AssertionError with the cluster's output if that does not happen in time
	 */
	public void awaitReady() {
		awaitStatus("every worker to be ready", RunningCluster::isReady);
	}

	private static boolean isReady(JsonNode status) {
		JsonNode workers = status.path("workers");
		boolean allReady = workers.valueStream().allMatch((worker) -> "READY".equals(worker.path("state").asString()));
		return "RUNNING".equals(status.path("master").path("state").asString())
				&& workers.size() == status.path("master").path("desiredWorkers").asInt() && allReady
				&& !"IN_PROGRESS".equals(status.path("rollout").path("state").asString());
	}

	/**
	 * Wait until the master reports a status that the condition accepts.
	 */
	private JsonNode awaitStatus(String what, Predicate<JsonNode> condition) {
		try {
			return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
				requireMasterAlive(what);
				return pollStatus();
			}, (status) -> status != null && condition.test(status));
		}
		catch (ConditionTimeoutException ex) {
			throw failure("Waited " + TIMEOUT.toMinutes() + " min for " + what, ex);
		}
	}

	private void requireMasterAlive(String what) {
		if (!this.master.isAlive()) {
			throw failure("The master exited with status " + this.master.exitValue() + " while waiting for " + what,
					null);
		}
	}

	private AssertionError failure(String message, @Nullable Throwable cause) {
		return new AssertionError(message + "\n---- output of the cluster (master pid " + masterPid() + ") ----\n"
				+ output(), cause);
	}

	/**
	 * Kill a ready worker with {@code SIGKILL}, and wait until the master noticed. The
	 * master then starts a replacement with the same id: {@link #awaitReady()} waits for
	 * it.
	 * @param workerId the worker id
	 */
	public void kill(int workerId) {
		long pid = readyPid(workerId);
		ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
		awaitStatus("the master to notice that worker " + workerId + " (pid " + pid + ") was killed", (status) -> {
			boolean gone = ProcessHandle.of(pid).map((handle) -> !handle.isAlive()).orElse(true);
			return gone && status.path("workers").valueStream()
				.noneMatch((worker) -> worker.path("id").asInt() == workerId && worker.path("pid").asLong() == pid
						&& "READY".equals(worker.path("state").asString()));
		});
	}

	/**
	 * Send a signal to a ready worker.
	 * @param workerId the worker id
	 * @param signal the signal name, such as {@code STOP}
	 */
	public void signalWorker(int workerId, String signal) {
		ProcessesOfACluster.signal(readyPid(workerId), signal);
	}

	private long readyPid(int workerId) {
		Map<Integer, Long> workers = workers();
		Long pid = workers.get(workerId);
		if (pid == null) {
			throw new AssertionError("Worker " + workerId + " is not ready; the ready ones are " + workers);
		}
		return pid;
	}

	/**
	 * Send a signal to the master: {@code TERM} stops the cluster, {@code HUP} rolls it,
	 * {@code TTIN} and {@code TTOU} add and remove a worker.
	 * @param signal the signal name
	 */
	public void signalMaster(String signal) {
		ProcessesOfACluster.signal(masterPid(), signal);
	}

	/**
	 * Replace every worker, each replacement ready before the worker it replaces stops,
	 * as {@code POST /actuator/cluster {"action":"restart"}} does, and wait until the
	 * rolling restart succeeded.
	 * @throws AssertionError if it was refused or failed
	 */
	public void rollingRestart() {
		awaitRollout(STATUS_PATH, "{\"action\":\"restart\"}");
	}

	/**
	 * Replace one worker, its replacement ready before it stops, and wait until that
	 * succeeded.
	 * @param workerId the worker id
	 * @throws AssertionError if it was refused or failed
	 */
	public void restart(int workerId) {
		awaitRollout(STATUS_PATH + "/" + workerId, "");
	}

	/**
	 * The endpoint shows the last rollout only, so the one started here is told from
	 * earlier ones by its start time.
	 */
	private void awaitRollout(String path, String body) {
		JsonNode before = statusNode().path("rollout").path("startedAt");
		post(path, body);
		JsonNode rollout = awaitStatus("the rollout requested by POST " + path + " to end", (status) -> {
			JsonNode current = status.path("rollout");
			return !current.path("startedAt").equals(before) && !"IN_PROGRESS".equals(current.path("state").asString());
		}).path("rollout");
		if (!"SUCCEEDED".equals(rollout.path("state").asString())) {
			throw failure("The rollout requested by POST " + path + " ended " + rollout, null);
		}
		awaitReady();
	}

	/**
	 * Change the number of workers, as {@code POST /actuator/cluster {"workers":N}}
	 * does, and wait until the cluster has that many ready workers and no others.
	 * @param workers the number of workers
	 * @throws AssertionError if it was refused
	 */
	public void scale(int workers) {
		post(STATUS_PATH, "{\"workers\":" + workers + "}");
		awaitStatus(workers + " ready workers",
				(status) -> status.path("master").path("desiredWorkers").asInt() == workers && isReady(status));
	}

	private void post(String path, String body) {
		try {
			RawHttp.Response response = RawHttp.post(port(), path, body);
			if (response.status() != 202) {
				throw new AssertionError("POST " + path + " " + body + " answered " + response.status() + ": "
						+ response.body());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("POST " + path + " failed", ex);
		}
	}

	/**
	 * Send {@code GET path} over new connections until every ready worker answered. The
	 * kernel hands each connection to one of the workers, so any fixed number of requests
	 * may all reach the same one.
	 * @param path the path, answered with a JSON object whose {@code worker} field is the
	 * id of the worker that answered ({@code cluster.worker.id})
	 * @return the last answer of each worker, by worker id
	 */
	public Map<Integer, String> awaitAnswersFromEveryWorker(String path) {
		return awaitAnswersFromEveryWorker(path, (body) -> true);
	}

	/**
	 * Send {@code GET path} over new connections until every ready worker gave an
	 * accepted answer, for example one that shows a change that was broadcast.
	 * @param path the path, answered with a JSON object whose {@code worker} field is the
	 * id of the worker that answered ({@code cluster.worker.id})
	 * @param accepted which answer bodies count
	 * @return the last accepted answer of each worker, by worker id
	 */
	public Map<Integer, String> awaitAnswersFromEveryWorker(String path, Predicate<String> accepted) {
		return EveryWorker.awaitAnswers(port(), path, workers().keySet(), accepted, Duration.ofSeconds(60));
	}

	/**
	 * Return the output of the master and its workers so far.
	 * @return the output
	 */
	public String output() {
		return String.join("\n", this.output.lines());
	}

	/**
	 * Return the output of the master and its workers so far.
	 * @return the lines
	 */
	public List<String> outputLines() {
		return this.output.lines();
	}

	/**
	 * Wait for a line of output that contains the given text.
	 * @param text the text
	 * @param timeout how long to wait
	 * @return the first line that contains it
	 */
	public String awaitLine(String text, Duration timeout) {
		return awaitLine((line) -> line.contains(text), timeout);
	}

	private String awaitLine(Predicate<String> predicate, Duration timeout) {
		try {
			return await().atMost(timeout)
				.pollInterval(Duration.ofMillis(50))
				.until(() -> findLine(predicate), Optional::isPresent)
				.orElseThrow();
		}
		catch (ConditionTimeoutException ex) {
			throw failure("Waited " + timeout.toSeconds() + " s for a line of output", ex);
		}
	}

	private Optional<String> findLine(Predicate<String> predicate) {
		boolean exited = !this.master.isAlive();
		Optional<String> line = this.output.lines().stream().filter(predicate).findFirst();
		if (line.isEmpty() && exited) {
			throw failure("The master exited with status " + this.master.exitValue()
					+ " before writing the expected line", null);
		}
		return line;
	}

	/**
	 * Wait for the master to exit.
	 * @param timeout how long to wait
	 * @return its exit status
	 */
	public int awaitExit(Duration timeout) {
		try {
			if (!this.master.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw failure("The master did not exit within " + timeout.toSeconds() + " s", null);
			}
			// The rest of the output of the master and of the workers that stopped with it
			this.output.awaitEnd(KILL_TIMEOUT);
			return this.master.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/**
	 * Return every live process of this cluster: the master and its workers, also the
	 * workers the master no longer parents.
	 * @return the live processes
	 */
	public List<ProcessHandle> processes() {
		return ProcessesOfACluster.marked(this.marker);
	}

	/**
	 * Return the live worker processes, whatever their state: not the master, and not
	 * the class data sharing runs it starts in the background.
	 * @return the worker processes
	 */
	public List<ProcessHandle> workerProcesses() {
		return ProcessesOfACluster.workers(this.marker, masterPid());
	}

	/**
	 * Read a process's arguments from {@code /proc}, which unlike
	 * {@link ProcessHandle.Info#arguments()} also works for long command lines.
	 * @param pid the process
	 * @return its command line, empty if it is gone
	 */
	public static List<String> commandLine(long pid) {
		return ProcessesOfACluster.commandLine(pid);
	}

	/**
	 * Stop the cluster as {@code SIGTERM} does, workers gracefully, then kill whatever is
	 * left of it.
	 */
	public void stop() {
		try {
			if (this.master.isAlive()) {
				signalMaster("TERM");
				this.master.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			close();
		}
	}

	/**
	 * Kill every process of the cluster at once and wait until they are gone.
	 */
	@Override
	public void close() {
		// Kill again on every poll: the master may have forked a child just before it died
		await().atMost(KILL_TIMEOUT).until(() -> {
			killProcesses();
			return processes().isEmpty();
		});
		this.output.awaitEnd(KILL_TIMEOUT);
		this.closedAt = System.nanoTime();
		this.closed = true;
	}

	void killProcesses() {
		processes().forEach(ProcessHandle::destroyForcibly);
		this.master.destroyForcibly();
	}

	boolean isRunning() {
		return !this.closed;
	}

	/**
	 * Return whether this cluster ran at any time since the given instant.
	 * @param nanoTime the instant, from {@link System#nanoTime()}
	 */
	boolean ranSince(long nanoTime) {
		return !this.closed || this.closedAt - nanoTime >= 0;
	}

}
