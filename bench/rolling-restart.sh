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
. bench/lib.sh
ensure_wrk
ensure_jar
trap stop_cluster EXIT


run() {
	local mode=$1 header=()
	[ "$mode" = close ] && header=(-H "Connection: close")
	wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s "${header[@]}" "http://127.0.0.1:$PORT/hello" > "$OUT/wrk-$mode.txt" &
	local wrk_pid=$! rollouts=0 failed_rollouts=0
	sleep 3
	while kill -0 $wrk_pid 2>/dev/null; do
		curl -s -o /dev/null -u "$ADMIN" -X POST -H 'Content-Type: application/json' -d '{"action":"restart"}' \
			"http://127.0.0.1:$PORT/actuator/cluster"
		if [ "$(await_rollout "http://127.0.0.1:$PORT")" = SUCCEEDED ]; then
			kill -0 $wrk_pid 2>/dev/null && rollouts=$((rollouts + 1))
		else
			failed_rollouts=$((failed_rollouts + 1))
		fi
	done
	wait $wrk_pid
	local requests socket non2xx
	requests=$(wrk_requests "$OUT/wrk-$mode.txt")
	non2xx=$(grep -oP 'Non-2xx or 3xx responses: \K\d+' "$OUT/wrk-$mode.txt" || echo 0)
	socket=$(($(failed_requests "$OUT/wrk-$mode.txt") - non2xx))
	printf '| %-10s | %9s | %8s | %13s | %7s | %6s |\n' "$mode" "$requests" "$rollouts" "$socket" "$non2xx" \
		"$((socket + non2xx))"
	[ "$failed_rollouts" -eq 0 ] || echo "warning: $failed_rollouts rollout(s) failed" >&2
}

start_cluster "$OUT/cluster.log"
# Warm both workers' JITs before measuring
wrk -t$THREADS -c$CONNECTIONS -d10s "http://127.0.0.1:$PORT/hello" > /dev/null

echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, 2 workers, rolling restarts back to back"
echo
echo '| connection | requests  | rollouts | socket errors | non-2xx | failed |'
echo '| ---------- | --------- | -------- | ------------- | ------- | ------ |'
run keep-alive
run close
