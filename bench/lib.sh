# Shared by the benchmark scripts: installs what they need and starts and stops the sample
# cluster on a free loopback port. Source it from the repository root.

JAR=sample-app/target/sample-app.jar
OUT=bench/out
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

# start_cluster LOG [ARGS...]: start the sample cluster, wait until all workers are ready,
# and set MASTER and PORT.
start_cluster() {
	local log=$1; shift
	java -jar "$JAR" --server.port=0 --server.address=127.0.0.1 "$@" > "$log" 2>&1 &
	MASTER=$!
	for _ in $(seq 1 240); do
		PORT=$(grep -oP 'listening on \S+:\K\d+' "$log" || true)
		grep -q "Cluster ready" "$log" && return 0
		sleep 0.5
	done
	echo "The cluster did not start; see $log" >&2
	return 1
}

stop_cluster() {
	if [ -n "$MASTER" ] && kill -0 "$MASTER" 2>/dev/null; then
		kill -TERM "$MASTER" 2>/dev/null || true
		for _ in $(seq 1 60); do kill -0 "$MASTER" 2>/dev/null || break; sleep 1; done
		kill -KILL "$MASTER" 2>/dev/null || true
	fi
	MASTER=
}

# failed_requests WRK_OUTPUT: socket errors + non-2xx responses in wrk's report
failed_requests() {
	awk '/Socket errors/ { gsub(/[^0-9 ]/, ""); for (i = 1; i <= NF; i++) n += $i }
		/Non-2xx/ { n += $NF } END { print n + 0 }' "$1"
}
