#!/usr/bin/env bash
# The accept path: a new connection per request ("Connection: close") through a cluster of 2
# workers, a cluster of 1 worker, and one JVM of the same jar (issue 14: the 2-worker cluster at
# 0.95x one JVM or better in every run).
#
# For each setup: starts it on a free loopback port, warms it (WARMUP s of keep-alive, then 10 s
# of "Connection: close"), then RUNS runs of SECONDS of wrk -t2 -c32 -H "Connection: close"
# --latency on /hello. Besides requests/s and p99 it reads, over the measured runs, the CPU time
# (utime + stime of every process of the setup, from /proc) and the context switches (voluntary +
# involuntary, summed over every thread) per request: figures that explain where the time goes
# and that depend less on the machine's other load than throughput does.
#
# Usage: bench/accept-path.sh [RUNS] [SECONDS]   (default 3 runs of 10 s)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-3}
SECONDS_PER_RUN=${2:-10}
WARMUP=${WARMUP:-30}
. bench/lib.sh
ensure_wrk
ensure_jar
SINGLE=
trap 'stop_cluster; [ -z "$SINGLE" ] || kill "$SINGLE" 2>/dev/null || true' EXIT
HZ=$(getconf CLK_TCK)

# cpu_ticks PID...: utime + stime of the processes and their descendants, in clock ticks
cpu_ticks() {
	descendants "$@" | while read -r p; do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || true; done |
		awk '{ n += $1 } END { print n + 0 }'
}

# switches PID...: context switches of every thread of the processes and their descendants
switches() {
	descendants "$@" | while read -r p; do cat /proc/"$p"/task/*/status 2>/dev/null || true; done |
		awk '/^(non)?voluntary_ctxt_switches/ { n += $2 } END { print n + 0 }'
}

# measure NAME URL PID: one table row
measure() {
	wrk -t2 -c32 -d"${WARMUP}s" "$2/hello" > /dev/null
	wrk -t2 -c32 -d10s -H "Connection: close" "$2/hello" > /dev/null
	local rates=() p99s=() requests=0 ticks switched
	ticks=$(cpu_ticks "$3")
	switched=$(switches "$3")
	for _ in $(seq 1 "$RUNS"); do
		wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" -H "Connection: close" --latency "$2/hello" > "$OUT/accept-wrk.txt"
		rates+=("$(wrk_requests_per_second "$OUT/accept-wrk.txt")")
		p99s+=("$(wrk_percentile_ms 99% "$OUT/accept-wrk.txt")")
		requests=$((requests + $(awk '/requests in/ { print $1 }' "$OUT/accept-wrk.txt")))
	done
	ticks=$(( $(cpu_ticks "$3") - ticks ))
	switched=$(( $(switches "$3") - switched ))
	printf '| %-18s | %s | %s | %8.1f | %8.2f |\n' "$1" "${rates[*]}" "${p99s[*]}" \
		"$(awk -v t="$ticks" -v hz="$HZ" -v r="$requests" 'BEGIN { print t / hz * 1e6 / r }')" \
		"$(awk -v s="$switched" -v r="$requests" 'BEGIN { print s / r }')"
}

echo "| setup              | req/s (each run) | p99 ms (each run) | CPU us/request | switches/request |"
echo "| ------------------ | ---------------- | ----------------- | -------------- | ---------------- |"
for workers in 2 1; do
	start_cluster "$OUT/accept-cluster.log" --cluster.workers="$workers"
	await_archive "$OUT/accept-cluster.log"
	measure "cluster, $workers worker(s)" "http://127.0.0.1:$PORT" "$MASTER"
	stop_cluster
done
port=$(free_port)
SINGLE=$(start_single_jvm "$port" "$OUT/accept-single.log")
await_http "http://127.0.0.1:$port/hello"
measure "one JVM" "http://127.0.0.1:$port" "$SINGLE"
