#!/usr/bin/env bash
# Worker boot time (process start to READY) with and without the class data sharing archive.
#
# Starts the sample cluster (2 workers) twice on a free loopback port: once with
# cluster.worker.cds.enabled=false, once with the archive (a fresh cache directory; the
# script waits for the background training run). Each time it restarts worker 1 ROUNDS times
# (POST /actuator/cluster/1, surge-first, so the cluster is otherwise idle), then rolls both
# workers together 3 times (cluster.rollout.batch-size=2), and reads the "booted in N ms" the
# master logs for each replacement. Prints the medians, alone and two together, their ratios,
# and the master's and the workers' RSS. JAVA_HOME selects the JDK (on Java 25 and later the
# archive is an AOT cache).
#
# Usage: bench/boot-time.sh [ROUNDS]   (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-7}
. bench/lib.sh
ensure_jar
trap stop_cluster EXIT

status() { curl -s "http://127.0.0.1:$PORT/actuator/cluster"; }

# Wait for the restart, then let the replaced process finish stopping
settle() {
	await_rollout "http://127.0.0.1:$PORT" > /dev/null
	sleep 1
}

measure() {
	local name=$1; shift
	local log="$OUT/boot-$name.log"
	start_cluster "$log" "$@"
	if [ "$name" = cds ]; then
		for _ in $(seq 1 240); do grep -q "archive ready" "$log" && break; sleep 0.5; done
	fi
	local before alone
	before=$(grep -c "booted in" "$log")
	for _ in $(seq 1 "$ROUNDS"); do
		curl -s -o /dev/null -u "$ADMIN" -X POST "http://127.0.0.1:$PORT/actuator/cluster/1"
		settle
	done
	alone=$(grep -c "booted in" "$log")
	for _ in 1 2 3; do
		curl -s -o /dev/null -u "$ADMIN" -X POST -H 'Content-Type: application/json' -d '{"action":"restart"}' \
			"http://127.0.0.1:$PORT/actuator/cluster"
		settle
	done
	local boot together
	boot=$(grep -oP 'booted in \K\d+' "$log" | sed -n "$((before + 1)),${alone}p" | median)
	together=$(grep -oP 'booted in \K\d+' "$log" | tail -n +"$((alone + 1))" | median)
	local master_rss worker_rss
	master_rss=$(status | grep -oP '"master":\{[^}]*"rssBytes":\K\d+')
	worker_rss=$(status | grep -oP '"workers":\[\{[^]]*?"rssBytes":\K\d+' | head -1)
	echo "$name $boot $together $master_rss $worker_rss"
	stop_cluster
}

plain=$(measure plain --cluster.rollout.batch-size=2 --cluster.worker.cds.enabled=false)
cds=$(measure cds --cluster.rollout.batch-size=2 --cluster.worker.cds.directory="$(mktemp -d)")
read -r _ plain_boot plain_together plain_master plain_worker <<< "$plain"
read -r _ cds_boot cds_together cds_master cds_worker <<< "$cds"
"$JAVA" -version 2>&1 | head -1
echo "worker boot to READY (ms), median of $ROUNDS restarts of one worker and of 3 rollouts of both together"
echo
echo '| archive | alone (ms) | 2 together (ms) | master RSS (MB) | worker 1 RSS (MB) |'
echo '| ------- | ---------- | --------------- | --------------- | ----------------- |'
printf '| none    | %10s | %15s | %15s | %17s |\n' "$plain_boot" "$plain_together" "$((plain_master / 1048576))" "$((plain_worker / 1048576))"
printf '| archive | %10s | %15s | %15s | %17s |\n' "$cds_boot" "$cds_together" "$((cds_master / 1048576))" "$((cds_worker / 1048576))"
echo
awk -v a="$plain_boot" -v b="$cds_boot" -v c="$plain_together" -v d="$cds_together" 'BEGIN {
	printf "archive / none: alone %.2f (%.0f%% faster), 2 together %.2f (%.0f%% faster)\n", b / a, 100 * (1 - b / a), d / c, 100 * (1 - d / c) }'
