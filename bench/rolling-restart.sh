#!/usr/bin/env bash
# Failed requests during rolling restarts under load.
#
# Starts the sample cluster (2 workers) on a free loopback port, runs wrk against it for
# DURATION seconds while it triggers one rolling restart after the other through
# POST /actuator/cluster, once with keep-alive connections and once with
# "Connection: close", and prints the failed requests (socket errors + non-2xx) per run.
#
# Usage: bench/rolling-restart.sh [DURATION_SECONDS]   (default 240: under full load a replacement boots in ~15 s on 2 cores, so 5+ rollouts need that long)
# Needs: java 17+, curl; installs wrk with apt-get if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-240}
THREADS=2
CONNECTIONS=32
JAR=sample-app/target/sample-app.jar
OUT=bench/out
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
	echo "Installing wrk..."
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null
fi
if [ ! -f "$JAR" ]; then
	./mvnw -B -q -DskipTests package
fi

MASTER=
cleanup() {
	if [ -n "$MASTER" ] && kill -0 "$MASTER" 2>/dev/null; then
		kill -TERM "$MASTER" 2>/dev/null || true
		for _ in $(seq 1 60); do kill -0 "$MASTER" 2>/dev/null || break; sleep 1; done
		kill -KILL "$MASTER" 2>/dev/null || true
	fi
}
trap cleanup EXIT

status() { curl -s "http://127.0.0.1:$PORT/actuator/cluster"; }
rollout_state() { status | grep -o '"rollout":{"state":"[A-Z_]*"' | cut -d'"' -f6; }

run() {
	local mode=$1 header=()
	[ "$mode" = close ] && header=(-H "Connection: close")
	wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s "${header[@]}" "http://127.0.0.1:$PORT/hello" > "$OUT/wrk-$mode.txt" &
	local wrk_pid=$! rollouts=0 failed_rollouts=0
	sleep 3
	while kill -0 $wrk_pid 2>/dev/null; do
		curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"action":"restart"}' \
			"http://127.0.0.1:$PORT/actuator/cluster"
		while [ "$(rollout_state)" = IN_PROGRESS ]; do sleep 0.2; done
		if [ "$(rollout_state)" = SUCCEEDED ]; then
			kill -0 $wrk_pid 2>/dev/null && rollouts=$((rollouts + 1))
		else
			failed_rollouts=$((failed_rollouts + 1))
		fi
	done
	wait $wrk_pid
	local requests socket non2xx
	requests=$(grep -oP '^\s*\K\d+(?= requests in)' "$OUT/wrk-$mode.txt")
	socket=$(awk '/Socket errors/ { gsub(/[^0-9 ]/, ""); n = 0; for (i = 1; i <= NF; i++) n += $i; print n }' \
		"$OUT/wrk-$mode.txt")
	non2xx=$(grep -oP 'Non-2xx or 3xx responses: \K\d+' "$OUT/wrk-$mode.txt" || true)
	socket=${socket:-0}; non2xx=${non2xx:-0}
	printf '| %-10s | %9s | %8s | %13s | %7s | %6s |\n' "$mode" "$requests" "$rollouts" "$socket" "$non2xx" \
		"$((socket + non2xx))"
	[ "$failed_rollouts" -eq 0 ] || echo "warning: $failed_rollouts rollout(s) failed" >&2
}

java -jar "$JAR" --server.port=0 --server.address=127.0.0.1 > "$OUT/cluster.log" 2>&1 &
MASTER=$!
for _ in $(seq 1 120); do
	PORT=$(grep -oP 'listening on \S+:\K\d+' "$OUT/cluster.log" || true)
	grep -q "Cluster ready" "$OUT/cluster.log" && break
	sleep 0.5
done
grep -q "Cluster ready" "$OUT/cluster.log" || { echo "cluster did not start; see $OUT/cluster.log" >&2; exit 1; }
# Warm both workers' JITs before measuring
wrk -t$THREADS -c$CONNECTIONS -d10s "http://127.0.0.1:$PORT/hello" > /dev/null

echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, 2 workers, rolling restarts back to back"
echo
echo '| connection | requests  | rollouts | socket errors | non-2xx | failed |'
echo '| ---------- | --------- | -------- | ------------- | ------- | ------ |'
run keep-alive
run close
