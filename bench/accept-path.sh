#!/usr/bin/env bash
# The accept path: a new connection per request ("Connection: close") through a cluster of 2
# workers (with cluster.defer-accept at its default of 1 s, and off; with cluster.worker.cpu-affinity
# at its default of none, and auto), a cluster of 1 worker, and one JVM of the same jar (issue 14:
# the 2-worker cluster at 0.95x one JVM or better in every run).
#
# All four setups run at the same time, each on its own free loopback port, and are measured in
# turn: round after round, one run of SECONDS of wrk -t2 -c32 -H "Connection: close" --latency on
# /hello per setup, while the others idle. So a setup is compared with runs of the others made a few
# seconds apart, not minutes: the throughput of this 2-core virtual machine drifts by 10-20% over
# minutes for reasons outside it, more than the differences measured here.
# Each setup is warmed first (WARMUP s of keep-alive, then 10 s of "Connection: close"). Besides
# requests/s and p99, the script reads the CPU time (utime + stime of every process of the setup,
# from /proc) and the context switches (voluntary + involuntary, every thread) per request over the
# measured runs: figures that explain where the time goes.
#
# Usage: bench/accept-path.sh [ROUNDS] [SECONDS]   (default 5 rounds of 10 s)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-5}
SECONDS_PER_RUN=${2:-10}
WARMUP=${WARMUP:-30}
. bench/lib.sh
ensure_wrk
ensure_jar
NAMES=("cluster, 2 workers" "2 workers, defer-accept 0" "2 workers, cpu-affinity auto" "cluster, 1 worker" "one JVM")
JVM=$(( ${#NAMES[@]} - 1 ))
PIDS=()
URLS=()
trap 'for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait' EXIT
HZ=$(getconf CLK_TCK)

# cpu_ticks PID: utime + stime of the process and its descendants, in clock ticks
cpu_ticks() {
	descendants "$1" | while read -r p; do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || true; done |
		awk '{ n += $1 } END { print n + 0 }'
}

# switches PID: context switches of every thread of the process and its descendants
switches() {
	descendants "$1" | while read -r p; do cat /proc/"$p"/task/*/status 2>/dev/null || true; done |
		awk '/^(non)?voluntary_ctxt_switches/ { n += $2 } END { print n + 0 }'
}

for args in "--cluster.workers=2" "--cluster.workers=2 --cluster.defer-accept=0" \
	"--cluster.workers=2 --cluster.worker.cpu-affinity=auto" "--cluster.workers=1"; do
	log="$OUT/accept-cluster-${#PIDS[@]}.log"
	# shellcheck disable=SC2086 # the arguments of one setup
	start_cluster "$log" $args
	await_archive "$log"
	PIDS+=("$MASTER")
	URLS+=("http://127.0.0.1:$PORT")
done
port=$(free_port)
PIDS+=("$(start_single_jvm "$port" "$OUT/accept-single.log")")
URLS+=("http://127.0.0.1:$port")
await_http "${URLS[$JVM]}/hello"

declare -A RATES P99S REQUESTS TICKS SWITCHED
for i in "${!NAMES[@]}"; do
	wrk -t2 -c32 -d"${WARMUP}s" "${URLS[$i]}/hello" > /dev/null
	wrk -t2 -c32 -d10s -H "Connection: close" "${URLS[$i]}/hello" > /dev/null
	REQUESTS[$i]=0 TICKS[$i]=0 SWITCHED[$i]=0
done
for round in $(seq 1 "$ROUNDS"); do
	for i in "${!NAMES[@]}"; do
		ticks=$(cpu_ticks "${PIDS[$i]}")
		switched=$(switches "${PIDS[$i]}")
		wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" -H "Connection: close" --latency "${URLS[$i]}/hello" > "$OUT/accept-wrk.txt"
		TICKS[$i]=$(( TICKS[$i] + $(cpu_ticks "${PIDS[$i]}") - ticks ))
		SWITCHED[$i]=$(( SWITCHED[$i] + $(switches "${PIDS[$i]}") - switched ))
		RATES[$i,$round]=$(wrk_requests_per_second "$OUT/accept-wrk.txt")
		P99S[$i,$round]=$(wrk_percentile_ms 99% "$OUT/accept-wrk.txt")
		REQUESTS[$i]=$(( REQUESTS[$i] + $(wrk_requests "$OUT/accept-wrk.txt") ))
	done
done

echo "| setup | req/s (each round) | p99 ms (each round) | CPU us/request | switches/request |"
echo "| ----- | ------------------ | ------------------- | -------------- | ---------------- |"
for i in "${!NAMES[@]}"; do
	rates=() p99s=()
	for round in $(seq 1 "$ROUNDS"); do rates+=("${RATES[$i,$round]%.*}"); p99s+=("${P99S[$i,$round]}"); done
	printf '| %s | %s | %s | %.1f | %.2f |\n' "${NAMES[$i]}" "${rates[*]}" "${p99s[*]}" \
		"$(awk -v t="${TICKS[$i]}" -v hz="$HZ" -v r="${REQUESTS[$i]}" 'BEGIN { print t / hz * 1e6 / r }')" \
		"$(awk -v s="${SWITCHED[$i]}" -v r="${REQUESTS[$i]}" 'BEGIN { print s / r }')"
done
echo
echo "Against one JVM in the same round (req/s):"
for i in $(seq 0 $(( JVM - 1 ))); do
	ratios=()
	for round in $(seq 1 "$ROUNDS"); do
		ratios+=("$(awk -v a="${RATES[$i,$round]}" -v b="${RATES[$JVM,$round]}" 'BEGIN { printf "%.2f", a / b }')")
	done
	echo "- ${NAMES[$i]}: ${ratios[*]}"
done
