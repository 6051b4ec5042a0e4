#!/usr/bin/env bash
# Fairness between workers, and what a kill -9 of one worker costs under load.
#
# Starts the sample cluster (2 workers) on a free loopback port and warms it. Then:
# 1. fairness: 20 s of wrk, keep-alive and then "Connection: close"; requests served per
#    worker (requestsServed in /actuator/cluster) and their max/min ratio;
# 2. failover: 30 s of keep-alive wrk; after 10 s worker 1 gets SIGKILL. Prints wrk's failed
#    requests, and the time from the kill until the replacement has served its first request
#    (a new connection to /whoami every 50 ms, until a pid other than the victim's and the
#    survivor's answers). Then the same with worker 2 on the idle cluster. Last, the master's RSS.
# With STANDBY=1 the cluster runs one standby worker (cluster.worker.standby=1), each kill waits
# until a standby is ready, and fairness is skipped.
#
# Usage: [STANDBY=1] bench/failover.sh
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/lib.sh
ensure_wrk
ensure_jar
trap stop_cluster EXIT

STANDBY=${STANDBY:-0}
start_cluster "$OUT/failover.log" --cluster.worker.standby="$STANDBY"
URL="http://127.0.0.1:$PORT"
await_standby() {
	[ "$STANDBY" = 0 ] && return 0
	for _ in $(seq 1 240); do
		curl -s "$URL/actuator/cluster" | grep -q '"state":"STANDBY"' && return 0
		sleep 0.5
	done
	echo "No standby became ready" >&2
	exit 1
}
served() { curl -s "$URL/actuator/cluster" | grep -oP '"requestsServed":\K\d+' | paste -sd' '; }
wrk -t2 -c32 -d10s "$URL/hello" > /dev/null

[ "$STANDBY" = 0 ] && echo "| connection | worker 1 | worker 2 | max/min |"
[ "$STANDBY" = 0 ] && echo "| ---------- | -------- | -------- | ------- |"
for mode in $([ "$STANDBY" = 0 ] && echo keep-alive close); do
	header=()
	[ "$mode" = close ] && header=(-H "Connection: close")
	read -r a1 a2 <<< "$(served)"
	wrk -t2 -c32 -d20s "${header[@]}" "$URL/hello" > "$OUT/fair-$mode.txt"
	sleep 1.5
	read -r b1 b2 <<< "$(served)"
	d1=$((b1 - a1)); d2=$((b2 - a2))
	awk -v m="$mode" -v a="$d1" -v b="$d2" 'BEGIN { hi = (a > b) ? a : b; lo = (a > b) ? b : a;
		printf "| %-10s | %8d | %8d | %7.2f |\n", m, a, b, hi / lo }'
done

# kill_and_recover LOAD VICTIM SURVIVOR: kill -9 of worker VICTIM, with LOAD = keep-alive (30 s of
# wrk, the kill after 10 s) or idle; prints "failed ms". Each run kills a different worker: a
# second crash of the same worker within restart-backoff.reset-after is respawned after a backoff.
kill_and_recover() {
	local victim survivor wrk_pid= killed_at recovered= pid
	await_standby
	victim=$(curl -s "$URL/actuator/cluster/$2" | grep -oP '"pid":\K\d+' | head -1)
	survivor=$(curl -s "$URL/actuator/cluster/$3" | grep -oP '"pid":\K\d+' | head -1)
	if [ "$1" = keep-alive ]; then
		wrk -t2 -c32 -d30s "$URL/hello" > "$OUT/failover-wrk.txt" &
		wrk_pid=$!
		sleep 10
	fi
	killed_at=$(date +%s%N)
	kill -KILL "$victim"
	while [ -z "$recovered" ]; do
		pid=$(curl -s --max-time 1 -H "Connection: close" "$URL/whoami" | grep -oP '"pid":\K\d+' || true)
		if [ -n "$pid" ] && [ "$pid" != "$victim" ] && [ "$pid" != "$survivor" ]; then
			recovered=$(date +%s%N)
		fi
		sleep 0.05
		[ $(( ($(date +%s%N) - killed_at) / 1000000000 )) -gt 120 ] && { echo "no recovery within 120 s" >&2; exit 1; }
	done
	local failed=0
	if [ -n "$wrk_pid" ]; then
		wait "$wrk_pid"
		failed=$(failed_requests "$OUT/failover-wrk.txt")
	fi
	echo "$failed $(( (recovered - killed_at) / 1000000 ))"
}

echo
read -r loaded_failed loaded_ms <<< "$(kill_and_recover keep-alive 1 2)"
sleep 5
read -r _ idle_ms <<< "$(kill_and_recover idle 2 1)"
echo "| kill -9 of a worker                       | under keep-alive load | idle |"
echo "| ----------------------------------------- | --------------------- | ---- |"
echo "| failed requests (socket errors + non-2xx) | $loaded_failed | - |"
echo "| kill to the replacement's first request   | $loaded_ms ms | $idle_ms ms |"
grep -oP "Worker \d \(pid \d+\) is ready \(booted in \d+ ms\)" "$OUT/failover.log" | tail -2
echo "master RSS after all this: $(( $(curl -s "$URL/actuator/cluster" | grep -oP '"master":\{[^}]*"rssBytes":\K\d+') / 1048576 )) MB"
