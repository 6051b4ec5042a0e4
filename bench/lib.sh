# Shared by the benchmark scripts: installs what they need and starts and stops the sample
# cluster on a free loopback port. Source it from the repository root.

JAR=${JAR:-sample-app/target/sample-app.jar}   # another sample's jar: JAR=sample-app-jetty/target/sample-app-jetty.jar
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java   # set JAVA_HOME to benchmark another JDK
OUT=bench/out
ADMIN=admin:${SAMPLE_ADMIN_PASSWORD:-admin}   # the sample lets only its admin restart and scale
MASTER=
PORT=
mkdir -p "$OUT"

ensure_wrk() {
	if ! command -v wrk >/dev/null; then
		echo "Installing wrk..." >&2
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null
	fi
}

ensure_jar() {
	[ -f "$JAR" ] || ./mvnw -B -q -DskipTests package
}

# start_cluster LOG [ARGS...]: start the sample cluster (with the master's JVM options in
# JVM_OPTS, which its workers copy), wait until all workers are ready, and set MASTER and PORT.
start_cluster() {
	local log=$1; shift
	# shellcheck disable=SC2086 # JVM_OPTS is a list of options, e.g. "-XX:MaxRAM=2g"
	"$JAVA" ${JVM_OPTS:-} -jar "$JAR" --server.port=0 --server.address=127.0.0.1 "$@" > "$log" 2>&1 &
	MASTER=$!
	await_cluster "$log"
}

# await_cluster LOG: wait until the cluster writing LOG has all its workers ready, and set PORT.
await_cluster() {
	local log=$1
	for _ in $(seq 1 240); do
		PORT=$(grep -oP 'listening on \S+:\K\d+' "$log" 2>/dev/null || true)
		grep -qs "Cluster ready" "$log" && return 0
		sleep 0.5
	done
	echo "The cluster did not start; see $log" >&2
	return 1
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

await_http() {
	for _ in $(seq 1 240); do curl -sf -o /dev/null "$1" && return 0; sleep 0.5; done
	echo "Nothing answered at $1" >&2
	return 1
}

start_single_jvm() { # PORT LOG: the sample app as one process; prints its pid
	"$JAVA" -jar "$JAR" --cluster.workers=0 --server.port="$1" --server.address=127.0.0.1 > "$2" 2>&1 &
	echo $!
}

# await_archive LOG: wait until the master has trained its class data sharing archive in the
# background after the first start, so that the training does not compete with measurements
await_archive() {
	for _ in $(seq 1 240); do grep -q "archive ready\|class data sharing" "$1" && break; sleep 0.5; done
}

stop_cluster() {
	if [ -n "$MASTER" ] && kill -0 "$MASTER" 2>/dev/null; then
		kill -TERM "$MASTER" 2>/dev/null || true
		for _ in $(seq 1 60); do kill -0 "$MASTER" 2>/dev/null || break; sleep 1; done
		kill -KILL "$MASTER" 2>/dev/null || true
	fi
	MASTER=
}

# rollout_state URL: the state of the cluster's current or last rolling restart (IN_PROGRESS,
# SUCCEEDED, FAILED), empty if there was none
rollout_state() { curl -s "$1/actuator/cluster" | grep -o '"rollout":{"state":"[A-Z_]*"' | cut -d'"' -f6; }

# await_rollout URL: wait while a rolling restart is in progress; prints how it ended
await_rollout() {
	local state
	while state=$(rollout_state "$1"); [ "$state" = IN_PROGRESS ]; do sleep 0.2; done
	echo "$state"
}

# await_rollout_in_log LOG: the same, read from the master's log instead of asked of the workers;
# prints SUCCEEDED or FAILED
await_rollout_in_log() {
	while :; do
		grep -qs 'Rolling restart complete' "$1" && { echo SUCCEEDED; return; }
		grep -qs 'Rolling restart failed' "$1" && { echo FAILED; return; }
		sleep 0.5
	done
}

# failed_requests WRK_OUTPUT: socket errors + non-2xx responses in wrk's report
failed_requests() {
	awk '/Socket errors/ { gsub(/[^0-9 ]/, ""); for (i = 1; i <= NF; i++) n += $i }
		/Non-2xx/ { n += $NF } END { print n + 0 }' "$1"
}

# The peers bench/peers.sh compares with: nginx and Gunicorn from apt, PM2 (pinned) from npm into
# bench/out, with its daemon's home there too. Node.js comes with npm.
PM2_VERSION=7.0.4
export PM2_HOME="$PWD/$OUT/pm2-home"
export PATH="$PWD/$OUT/npm/node_modules/.bin:$PATH"

ensure_peers() {
	local missing=()
	command -v nginx >/dev/null || missing+=(nginx-light)
	command -v gunicorn >/dev/null || missing+=(gunicorn)
	command -v npm >/dev/null || missing+=(nodejs npm)
	if [ ${#missing[@]} -gt 0 ]; then
		echo "Installing ${missing[*]}..." >&2
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null
	fi
	if [ ! -x "$OUT/npm/node_modules/.bin/pm2" ]; then
		echo "Installing pm2@$PM2_VERSION..." >&2
		npm install --prefix "$OUT/npm" --no-audit --no-fund --loglevel=error "pm2@$PM2_VERSION" >/dev/null
	fi
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# descendants PID...: the pids and all their descendants
descendants() {
	local p
	for p in "$@"; do
		kill -0 "$p" 2>/dev/null || continue
		echo "$p"
		descendants $(pgrep -P "$p" || true)
	done
}

# tree_memory_mb PID...: "RSS PSS" in MB summed over the processes and their descendants
tree_memory_mb() {
	descendants "$@" | while read -r p; do cat "/proc/$p/smaps_rollup" 2>/dev/null || true; done |
		awk '$1 == "Rss:" { rss += $2 } $1 == "Pss:" { pss += $2 } END { printf "%d %d\n", rss / 1024, pss / 1024 }'
}

wrk_requests() { grep -oP '^\s*\K\d+(?= requests in)' "$1"; }

wrk_requests_per_second() { awk '/^Requests\/sec/ { print $2 }' "$1"; }

# wrk_percentile_ms 99% WRK_OUTPUT: a percentile of wrk --latency's distribution, in ms
wrk_percentile_ms() {
	awk -v p="$1" '$1 == p { v = $2
		if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
		else if (v ~ /ms$/) { sub(/ms$/, "", v) }
		else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
		print v }' "$2"
}
