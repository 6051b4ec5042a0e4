#!/usr/bin/env bash
# ClusterMessenger on its own, on a cluster of 2 workers that runs bench/messaging's application
# (compiled here against the sample app's libraries, so that the sample stays a demo): the worker
# that gets the request broadcasts small messages to both workers, itself included.
# - flood: COUNT broadcasts as fast as 1 and 16 sending threads can; broadcasts per second as the
#   sender saw them (each broadcast returns once the master has relayed it) and as each receiver
#   saw them (first send to last arrival);
# - paced: 1,000 broadcasts/s from one thread for PACED_SECONDS; delivery latency p50/p99/max on
#   each receiver, from the System.nanoTime() the message carries (CLOCK_MONOTONIC on Linux: one
#   clock for all processes of the machine, checked below);
# - http: wrk -t2 -c16 on PUT /messaging/http (one broadcast per request, like the sample's
#   PUT /greeting) and on GET /messaging/none (the same without the broadcast).
#
# Usage: bench/messaging.sh [RUNS] [COUNT] [PACED_SECONDS]   (defaults 3, 50000, 10; about 4 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
RUNS=${1:-3}
COUNT=${2:-50000}
PACED_SECONDS=${3:-10}
ensure_wrk
ensure_jar
trap 'stop_cluster' EXIT

app="$OUT/messaging-app"
rm -rf "$app" && mkdir -p "$app/results"
unzip -q "$JAR" 'BOOT-INF/lib/*' -d "$app"
# The starter under test is the one in the jar; the sample's security would ask for a login
rm -f "$app"/BOOT-INF/lib/spring-security-* "$app"/BOOT-INF/lib/spring-boot-security-*
JAVAC=${JAVA_HOME:+$JAVA_HOME/bin/}javac
"$JAVAC" -parameters --release 17 -cp "$app/BOOT-INF/lib/*" -d "$app/classes" bench/messaging/MessagingBenchmark.java
results="$PWD/$app/results"

# CLOCK_MONOTONIC is one clock for every process: a JVM's System.nanoTime() falls between two
# readings of it taken by other processes before and after
before=$(python3 -c 'import time; print(time.clock_gettime_ns(time.CLOCK_MONOTONIC))')
echo 'class Now { public static void main(String[] a) { System.out.println(System.nanoTime()); } }' > "$app/Now.java"
java_now=$("$JAVA" "$app/Now.java")
after=$(python3 -c 'import time; print(time.clock_gettime_ns(time.CLOCK_MONOTONIC))')
if [ "$before" -le "$java_now" ] && [ "$java_now" -le "$after" ]; then
	clock="System.nanoTime() of another JVM fell between two CLOCK_MONOTONIC readings of other processes ($before <= $java_now <= $after)"
else
	echo "System.nanoTime() is not CLOCK_MONOTONIC here ($before, $java_now, $after): latencies would be wrong" >&2
	exit 1
fi

# start_app LOG: the benchmark application as a cluster of 2 workers
start_app() {
	local log=$1
	"$JAVA" -cp "$app/BOOT-INF/lib/*:$app/classes" io.github.clusterstarter.bench.MessagingBenchmark \
		--server.port=0 --server.address=127.0.0.1 --cluster.workers=2 --cluster.worker.cds.enabled=false \
		--bench.out="$results" > "$log" 2>&1 &
	MASTER=$!
	await_cluster "$log"
}

# receivers RUN: "perSecond p50 p99 max" of each worker that received the run, one line each
receivers() {
	for _ in $(seq 1 100); do
		[ "$(ls "$results"/messaging-"$1"-worker*.txt 2>/dev/null | wc -l)" -ge 2 ] && break
		sleep 0.2
	done
	for file in "$results"/messaging-"$1"-worker*.txt; do
		grep -q "received=$(grep -oP 'sent=\K\d+' "$file") " "$file" || { echo "lost messages: $file" >&2; exit 1; }
		grep -oP 'perSecond=\K\S+|p50=\K\S+|p99=\K\S+|max=\K\S+' "$file" | paste -sd' '
	done
}

post() { curl -sf -X POST "http://127.0.0.1:$PORT/messaging/$1"; }

start_app "$OUT/messaging-cluster.log"
# JIT warm-up of the master and both workers
post "flood?run=warmup1&count=$COUNT&threads=16" > /dev/null
post "flood?run=warmup2&count=$COUNT&threads=1" > /dev/null
post "paced?run=warmup3&count=2000&rate=1000" > /dev/null
wrk -t2 -c16 -d10s "http://127.0.0.1:$PORT/messaging/http?text=warm" -s bench/messaging/put.lua > /dev/null

flood1=() flood16=() recv1=() recv16=() p50=() p99=() max=() http=() none=()
for run in $(seq 1 "$RUNS"); do
	for threads in 1 16; do
		sent=$(post "flood?run=flood$threads-$run&count=$COUNT&threads=$threads" | grep -oP '"perSecond":\K\d+')
		slowest=$(receivers "flood$threads-$run" | awk '{ print $1 }' | sort -n | head -1)
		if [ "$threads" = 1 ]; then flood1+=("$sent"); recv1+=("$slowest"); else flood16+=("$sent"); recv16+=("$slowest"); fi
	done
	post "paced?run=paced-$run&count=$((PACED_SECONDS * 1000))&rate=1000" > "$OUT/messaging-paced-$run.json"
	# the worse of the two receivers
	read -r _ a50 a99 amax <<< "$(receivers "paced-$run" | sort -k3 -n | tail -1)"
	p50+=("$a50"); p99+=("$a99"); max+=("$amax")
	wrk -t2 -c16 -d10s --latency "http://127.0.0.1:$PORT/messaging/http?text=run$run" -s bench/messaging/put.lua \
		> "$OUT/messaging-http-$run.txt"
	[ "$(failed_requests "$OUT/messaging-http-$run.txt")" = 0 ] || { echo "failed requests: $OUT/messaging-http-$run.txt" >&2; exit 1; }
	http+=("$(wrk_requests_per_second "$OUT/messaging-http-$run.txt")")
	wrk -t2 -c16 -d10s "http://127.0.0.1:$PORT/messaging/none" > "$OUT/messaging-none-$run.txt"
	none+=("$(wrk_requests_per_second "$OUT/messaging-none-$run.txt")")
done
stop_cluster

echo "## Messaging: one worker broadcasts small messages to 2 workers (itself included), $RUNS runs"
echo
echo "| measure | median | runs |"
echo "| ------- | ------ | ---- |"
row() { echo "| $1 | $(printf '%s\n' "${@:2}" | median) | ${*:2} |"; }
row "broadcasts/s, 1 sending thread (sender)" "${flood1[@]}"
row "broadcasts/s, 1 sending thread (slower receiver)" "${recv1[@]}"
row "broadcasts/s, 16 sending threads (sender)" "${flood16[@]}"
row "broadcasts/s, 16 sending threads (slower receiver)" "${recv16[@]}"
row "delivery p50 ms at 1,000/s (worse receiver)" "${p50[@]}"
row "delivery p99 ms at 1,000/s (worse receiver)" "${p99[@]}"
row "delivery max ms at 1,000/s (worse receiver)" "${max[@]}"
row "PUT /messaging/http requests/s, wrk -t2 -c16 (a broadcast each)" "${http[@]}"
row "GET /messaging/none requests/s, wrk -t2 -c16 (no broadcast)" "${none[@]}"
echo
echo "$COUNT broadcasts per flood; paced: $((PACED_SECONDS * 1000)) broadcasts at 1,000/s. $clock."
