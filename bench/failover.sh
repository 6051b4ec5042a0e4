#!/usr/bin/env bash
# Fairness between workers, and what a kill -9 of one worker costs under load.
#
# Starts the sample cluster (2 workers) on a free loopback port and warms it. Then:
# 1. fairness: 20 s of wrk, keep-alive and then "Connection: close"; requests served per
#    worker (requestsServed in /actuator/cluster) and their max/min ratio;
# 2. failover: 30 s of keep-alive wrk; after 10 s worker 1 gets SIGKILL. Prints wrk's failed
#    requests, and the time from the kill until the replacement has served its first request
#    (polled every 50 ms from /actuator/cluster/1).
#
# Usage: bench/failover.sh
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/lib.sh
ensure_wrk
ensure_jar
trap stop_cluster EXIT

start_cluster "$OUT/failover.log"
URL="http://127.0.0.1:$PORT"
served() { curl -s "$URL/actuator/cluster" | grep -oP '"requestsServed":\K\d+' | paste -sd' '; }
wrk -t2 -c32 -d10s "$URL/hello" > /dev/null

echo "| connection | worker 1 | worker 2 | max/min |"
echo "| ---------- | -------- | -------- | ------- |"
for mode in keep-alive close; do
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

echo
victim=$(curl -s "$URL/actuator/cluster/1" | grep -oP '"pid":\K\d+' | head -1)
wrk -t2 -c32 -d30s "$URL/hello" > "$OUT/failover-wrk.txt" &
WRK=$!
sleep 10
killed_at=$(date +%s%N)
kill -KILL "$victim"
recovered=
while [ -z "$recovered" ]; do
	status=$(curl -s "$URL/actuator/cluster/1")
	pid=$(grep -oP '"pid":\K\d+' <<< "$status" | head -1 || true)
	count=$(grep -oP '"requestsServed":\K\d+' <<< "$status" || echo 0)
	if [ -n "$pid" ] && [ "$pid" != "$victim" ] && [ "${count:-0}" -gt 0 ]; then
		recovered=$(date +%s%N)
	fi
	sleep 0.05
	[ $(( ($(date +%s%N) - killed_at) / 1000000000 )) -gt 120 ] && { echo "no recovery within 120 s" >&2; exit 1; }
done
wait $WRK
echo "| kill -9 of worker 1 under keep-alive load | value |"
echo "| ----------------------------------------- | ----- |"
echo "| failed requests (socket errors + non-2xx) | $(failed_requests "$OUT/failover-wrk.txt") |"
echo "| kill to the replacement's first request   | $(( (recovered - killed_at) / 1000000 )) ms |"
grep -oP "Worker 1 \(pid \d+\) is ready \(booted in \d+ ms\)" "$OUT/failover.log" | tail -1
