#!/usr/bin/env bash
# p99 latency and throughput over a rolling restart under load, against the same run's
# steady state (issue 14: the rollout p99 should stay within 2x the steady p99).
#
# For each configuration: starts the sample cluster (2 workers) on a free loopback port, warms
# it with WARMUP (60) s of load, measures 20 s of steady load (wrk -t2 -c32 --latency on /hello), then
# the same load from 2 s before one rolling restart of both workers until it has succeeded, and
# prints p99 and requests/s of both windows and their ratios. The end of the rollout is read
# from the master's log: asking the endpoint would load the serving workers in one window only.
#
# Usage: bench/rollout-latency.sh [RUNS] [CONFIG...]   (default 3 runs of: none warmup nice)
#   none          no warm-up (cluster.worker.warmup.enabled=false), replacements boot at the
#                 serving workers' CPU priority (cluster.worker.boot-niceness=0)
#   warmup        the sample's warm-up (application.yml), replacements at the same priority
#   nice          the sample's warm-up, replacements boot at the default raised nice value (10)
#                 and take the serving priority back once warm (needs root or CAP_SYS_NICE)
#   pinned        as nice, with cluster.worker.cpu-affinity=auto: each serving worker on a CPU of
#                 its own, all of them on every CPU while a replacement boots
#   longer        as nice, with ten times the sample's warm-up (cluster.worker.warmup.count=5000),
#                 within the same warm-up timeout (30 s)
#   compiled      as nice, with rounds of the sample's warm-up until the JIT compiler settles
#                 (cluster.worker.warmup.until-compiled=true), within the same timeout
# JAR=... benchmarks another jar (e.g. a build from before the warm-up existed: config "none").
# PAUSE_MS=N measures under partial load: each connection waits N ms between its requests (wrk's
# delay()), so that the CPUs keep headroom; by default the load saturates them.
# Needs: java 17+, curl; installs wrk with apt-get if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-3}
shift || true
[ $# -gt 0 ] && CONFIGS=("$@") || CONFIGS=(none warmup nice)
THREADS=2
CONNECTIONS=32
WARMUP=${WARMUP:-60}   # seconds of load before the steady window: JIT-compiling two JVMs takes about 30 s
PAUSE_MS=${PAUSE_MS:-0}
. bench/lib.sh
LOAD=()
if [ "$PAUSE_MS" -gt 0 ]; then
	echo "function delay() return $PAUSE_MS end" > "$OUT/rollout-pause.lua"
	LOAD=(-s "$OUT/rollout-pause.lua")
fi
ensure_wrk
ensure_jar
trap stop_cluster EXIT

# p99_ms WRK_OUTPUT: the 99th percentile latency in ms from wrk's --latency report
p99_ms() {
	awk '$1 == "99%" { v = $2; u = v; gsub(/[0-9.]/, "", u); gsub(/[a-z]/, "", v);
		m = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : v; printf "%.2f\n", m }' "$1"
}

rps() { grep -oP 'Requests/sec:\s*\K[0-9.]+' "$1"; }

config_args() {
	case $1 in
		none) echo "--cluster.worker.warmup.enabled=false --cluster.worker.boot-niceness=0" ;;
		warmup) echo "--cluster.worker.boot-niceness=0" ;;
		nice) echo "" ;;
		pinned) echo "--cluster.worker.cpu-affinity=auto" ;;
		longer) echo "--cluster.worker.warmup.count=5000" ;;
		compiled) echo "--cluster.worker.warmup.until-compiled=true" ;;
		*) echo "Unknown configuration $1" >&2; return 1 ;;
	esac
}

echo "wrk -t$THREADS -c$CONNECTIONS --latency /hello (pause between requests: $PAUSE_MS ms), 2 workers: 20 s steady, then from 2 s before one rolling restart until it succeeded"
echo "jar: $JAR"
echo
echo '| config | run | steady p99 ms | rollout p99 ms | p99 ratio | steady req/s | rollout req/s | throughput ratio | rollout s |'
echo '| ------ | --- | ------------- | -------------- | --------- | ------------ | ------------- | ---------------- | --------- |'
for run in $(seq 1 "$RUNS"); do
	for config in "${CONFIGS[@]}"; do
		log="$OUT/rollout-latency-$config.log"
		# shellcheck disable=SC2046
		start_cluster "$log" $(config_args "$config")
		url="http://127.0.0.1:$PORT"
		wrk -t$THREADS -c$CONNECTIONS -d"${WARMUP}s" "$url/hello" > /dev/null
		wrk -t$THREADS -c$CONNECTIONS "${LOAD[@]}" -d20s --latency "$url/hello" > "$OUT/wrk-steady.txt"
		# The window is the rollout itself (and 2 s before it): wrk reports when interrupted
		wrk -t$THREADS -c$CONNECTIONS "${LOAD[@]}" -d300s --latency "$url/hello" > "$OUT/wrk-rollout.txt" &
		wrk_pid=$!
		sleep 2
		started=$(date +%s.%N)
		curl -s -o /dev/null -u "$ADMIN" -X POST -H 'Content-Type: application/json' -d '{"action":"restart"}' \
			"$url/actuator/cluster"
		state=$(await_rollout_in_log "$log")
		took=$(echo "$(date +%s.%N) - $started" | bc)
		kill -INT $wrk_pid
		wait $wrk_pid || true
		[ "$state" = SUCCEEDED ] || echo "warning: the rollout ended $state" >&2
		[ "$(failed_requests "$OUT/wrk-rollout.txt")" -eq 0 ] || echo "warning: failed requests in $config run $run" >&2
		s99=$(p99_ms "$OUT/wrk-steady.txt") r99=$(p99_ms "$OUT/wrk-rollout.txt")
		srps=$(rps "$OUT/wrk-steady.txt") rrps=$(rps "$OUT/wrk-rollout.txt")
		printf '| %-11s | %d | %6.2f | %6.2f | %5.1fx | %8.0f | %8.0f | %4.2fx | %4.1f |\n' "$config" "$run" "$s99" "$r99" \
			"$(echo "$r99 / $s99" | bc -l)" "$srps" "$rrps" "$(echo "$rrps / $srps" | bc -l)" "$took"
		stop_cluster
	done
done
