#!/usr/bin/env bash
# Memory of a 2-worker cluster against one JVM of the same jar, idle and after load (issue 11:
# each worker gets a share of the memory the JVM sees, so that the heaps of all workers together
# take at most half of it).
#
# For each setup: starts the sample app on a free loopback port, reads RSS and PSS
# (/proc/<pid>/smaps_rollup, summed over the process tree) once it is ready, puts it under
# 30 s of keep-alive and 10 s of "Connection: close" wrk -t2 -c32 load on /hello, and reads them
# again. MAX_RAM=2g also runs both under -XX:MaxRAM=2g, as in a 2 GiB container.
#
# Usage: [MAX_RAM=2g] bench/memory.sh
# Needs: java 17+, curl, python3; installs wrk with apt-get if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/lib.sh
ensure_wrk
ensure_jar
SINGLE=
trap 'stop_cluster; [ -z "$SINGLE" ] || kill "$SINGLE" 2>/dev/null || true' EXIT

load() {
	wrk -t2 -c32 -d30s "$1/hello" > /dev/null
	wrk -t2 -c32 -d10s -H "Connection: close" "$1/hello" > /dev/null
	sleep 2
}

# measure NAME PID URL: prints a table row
measure() {
	local idle loaded
	idle=$(tree_memory_mb "$2")
	load "$3"
	loaded=$(tree_memory_mb "$2")
	read -r irss ipss <<< "$idle"
	read -r lrss lpss <<< "$loaded"
	printf '| %-24s | %8s | %8s | %14s | %14s |\n' "$1" "$irss" "$ipss" "$lrss" "$lpss"
}

run() { # LABEL [ARGS...], with JVM_OPTS for the master and the one JVM
	local label=$1; shift
	start_cluster "$OUT/memory-cluster.log" "$@"
	measure "cluster, 2 workers$label" "$MASTER" "http://127.0.0.1:$PORT"
	heaps=$(curl -s "http://127.0.0.1:$PORT/actuator/cluster" | grep -oP '"heapMaxBytes":\K\d+' |
		awk '{ printf "%s%d", (NR > 1 ? " + " : ""), $1 / 1048576 } END { print " MB max heap" }')
	stop_cluster
	local port
	port=$(free_port)
	# shellcheck disable=SC2086
	SINGLE=$("$JAVA" ${JVM_OPTS:-} -jar "$JAR" --cluster.workers=0 --server.port="$port" \
		--server.address=127.0.0.1 > "$OUT/memory-single.log" 2>&1 & echo $!)
	await_http "http://127.0.0.1:$port/hello"
	measure "one JVM$label" "$SINGLE" "http://127.0.0.1:$port"
	kill "$SINGLE"; wait "$SINGLE" 2>/dev/null || true; SINGLE=
	echo "workers: $heaps" >&2
}

echo "| memory of the process tree (MB) | RSS idle | PSS idle | RSS after load | PSS after load |"
echo "| ------------------------------- | -------- | -------- | -------------- | -------------- |"
JVM_OPTS=
run ""
if [ -n "${MAX_RAM:-}" ]; then
	JVM_OPTS="-XX:MaxRAM=$MAX_RAM"
	run ", -XX:MaxRAM=$MAX_RAM"
fi
