#!/usr/bin/env bash
# Shared sessions against in-memory sessions: the sample's cart (POST /cart/items reads an
# attribute of the HTTP session and writes it back; GET /cart only reads it) on a 2-worker
# cluster, whose workers share their sessions through session files, and on one JVM, whose
# Tomcat keeps them in memory. Then the cost of 10,000 sessions on each.
#
# Usage: bench/sessions.sh [RUNS] [SECONDS]   (defaults 3 and 10; about 8 minutes)
# SESSIONS_DIRECTORY puts the cluster's session files elsewhere (e.g. on tmpfs: /dev/shm/...).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
RUNS=${1:-3}
SECONDS_PER_RUN=${2:-10}
SESSIONS=64
ensure_wrk
ensure_jar
export COOKIES="$PWD/$OUT/session-cookies.txt"
trap 'stop_cluster; [ -z "${SINGLE:-}" ] || kill "$SINGLE" 2>/dev/null || true' EXIT

# make_sessions URL COUNT: start COUNT sessions with one item each; prints their cookies
make_sessions() {
	python3 - "$1" "$2" <<'PY'
import sys, urllib.request
url, count = sys.argv[1], int(sys.argv[2])
for _ in range(count):
    with urllib.request.urlopen(urllib.request.Request(url + "/cart/items", method="POST", data=b"")) as response:
        print(response.headers["Set-Cookie"].split(";")[0])
PY
}

# measure NAME URL: RUNS runs of wrk on the cart over SESSIONS sessions; prints "NAME rps p50 p99"
measure() {
	make_sessions "$2" "$SESSIONS" > "$COOKIES"
	# JIT warm-up: two workers compile their code on the same 2 cores that serve the load, and take
	# about a minute to reach their plateau (measured: 2.5k, 4.1k, 5.1k, 5.9k, 8.4k, 13.8k, 16.6k, 15.8k
	# requests/s in eight 10 s runs)
	wrk -t2 -c32 -d"${WARMUP:-60}s" -s bench/sessions/cart.lua "$2" > /dev/null
	local run rps=() p50=() p99=()
	for run in $(seq 1 "$RUNS"); do
		wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --latency -s bench/sessions/cart.lua "$2" > "$OUT/sessions-$1-$run.txt"
		[ "$(failed_requests "$OUT/sessions-$1-$run.txt")" = 0 ] || { echo "failed requests: $OUT/sessions-$1-$run.txt" >&2; exit 1; }
		rps+=("$(wrk_requests_per_second "$OUT/sessions-$1-$run.txt")")
		p50+=("$(wrk_percentile_ms 50% "$OUT/sessions-$1-$run.txt")")
		p99+=("$(wrk_percentile_ms 99% "$OUT/sessions-$1-$run.txt")")
	done
	echo "$1 $(printf '%s\n' "${rps[@]}" | median) $(printf '%s\n' "${p50[@]}" | median) $(printf '%s\n' "${p99[@]}" | median) ${rps[*]}"
}

# ten_thousand NAME URL PIDS...: RSS and PSS of the processes before and after 10,000 new sessions
ten_thousand() {
	local name=$1 url=$2; shift 2
	local before after
	before=$(tree_memory_mb "$@")
	make_sessions "$url" 10000 > /dev/null
	after=$(tree_memory_mb "$@")
	echo "$name $before $after"
}

directory=${SESSIONS_DIRECTORY:-$PWD/$OUT/sessions-dir}
rm -rf "$directory"
start_cluster "$OUT/sessions-cluster.log" --cluster.sessions.directory="$directory"
await_archive "$OUT/sessions-cluster.log"
cluster=$(measure cluster "http://127.0.0.1:$PORT")
cluster_read=$(CART=read WARMUP=20 measure cluster-read "http://127.0.0.1:$PORT")
cluster_memory=$(ten_thousand cluster "http://127.0.0.1:$PORT" "$MASTER")
files=$(find "$directory/$PORT" -type f -not -name '.*' | wc -l)
bytes=$(du -sb --exclude=.lock "$directory/$PORT" | cut -f1)
stop_cluster

port=$(free_port)
SINGLE=$(start_single_jvm "$port" "$OUT/sessions-single.log")
await_http "http://127.0.0.1:$port/hello"
single=$(measure one-jvm "http://127.0.0.1:$port")
single_read=$(CART=read WARMUP=20 measure one-jvm-read "http://127.0.0.1:$port")
single_memory=$(ten_thousand one-jvm "http://127.0.0.1:$port" "$SINGLE")
kill "$SINGLE"; SINGLE=

echo "## Sessions: POST /cart/items (-read: GET /cart) over $SESSIONS sessions, wrk -t2 -c32, keep-alive, median of $RUNS x ${SECONDS_PER_RUN}s"
echo
echo "| setup | requests/s | p50 ms | p99 ms | runs (requests/s) |"
echo "| ----- | ---------- | ------ | ------ | ----------------- |"
for line in "$cluster" "$single" "$cluster_read" "$single_read"; do
	read -r name rps p50 p99 runs <<< "$line"
	echo "| $name | $rps | $p50 | $p99 | $runs |"
done
read -r _ crps _ cp99 _ <<< "$cluster"
read -r _ srps _ sp99 _ <<< "$single"
echo
echo "cluster / one-jvm, read and write: throughput $(awk -v a="$crps" -v b="$srps" 'BEGIN { printf "%.2fx", a / b }'), p99 $(awk -v a="$cp99" -v b="$sp99" 'BEGIN { printf "%+.2f ms", a - b }')"
read -r _ crps _ cp99 _ <<< "$cluster_read"
read -r _ srps _ sp99 _ <<< "$single_read"
echo "cluster / one-jvm, read only: throughput $(awk -v a="$crps" -v b="$srps" 'BEGIN { printf "%.2fx", a / b }'), p99 $(awk -v a="$cp99" -v b="$sp99" 'BEGIN { printf "%+.2f ms", a - b }')"
echo
echo "## Memory of 10,000 more sessions (one item each), RSS and PSS in MB of the whole process tree"
echo
echo "| setup | RSS before | PSS before | RSS after | PSS after |"
echo "| ----- | ---------- | ---------- | --------- | --------- |"
for line in "$cluster_memory" "$single_memory"; do
	read -r name r1 p1 r2 p2 <<< "$line"
	echo "| $name | $r1 | $p1 | $r2 | $p2 |"
done
echo
echo "Cluster session files: $files files, $bytes bytes on disk (page cache) for all sessions of the run"
