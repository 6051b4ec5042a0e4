#!/usr/bin/env bash
# Every web server the starter clusters, side by side, in one run:
#   tomcat  sample-app          Spring MVC on Tomcat (the reference)
#   jetty   sample-app-jetty    Spring MVC on Jetty
#   netty   sample-app-webflux  WebFlux on Reactor Netty
# For each: throughput and p99 of the same jar as one JVM and as a 2-worker cluster (wrk -t2 -c32,
# keep-alive, GET /hello; a warm-up, then the median of RUNS runs of SECONDS), then, for Jetty and
# Reactor Netty, failed requests during back-to-back rolling restarts under load for
# ROLLING_SECONDS with keep-alive and with "Connection: close" (bench/rolling-restart.sh).
#
# Usage: bench/servers.sh [RUNS] [SECONDS] [ROLLING_SECONDS]   (default 3 runs of 10 s, 60 s)
# Needs: java 17+, curl, python3; installs wrk with apt-get if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-3}
SECONDS_PER_RUN=${2:-10}
ROLLING_SECONDS=${3:-60}
WARMUP=${WARMUP:-20}   # seconds of load before measuring: two JITs to warm in a cluster
. bench/lib.sh
ensure_wrk
SINGLE=
trap 'stop_cluster; [ -z "$SINGLE" ] || kill "$SINGLE" 2>/dev/null || true' EXIT

# throughput URL: "req/s p99-ms failed" of the run with the median throughput, after a warm-up
throughput() {
	wrk -t2 -c32 -d"${WARMUP}s" "$1/hello" > /dev/null
	for _ in $(seq 1 "$RUNS"); do
		wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --latency "$1/hello" > "$OUT/servers-wrk.txt"
		echo "$(wrk_requests_per_second "$OUT/servers-wrk.txt") $(wrk_percentile_ms 99% "$OUT/servers-wrk.txt")" \
			"$(failed_requests "$OUT/servers-wrk.txt")"
	done | sort -n | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'
}

ROWS=()
for app in sample-app:tomcat sample-app-jetty:jetty sample-app-webflux:netty; do
	module=${app%%:*} server=${app##*:}
	JAR=$module/target/$module.jar
	ensure_jar
	echo "== $server: one JVM" >&2
	port=$(free_port)
	SINGLE=$(start_single_jvm "$port" "$OUT/servers-$server-one-jvm.log")
	await_http "http://127.0.0.1:$port/hello"
	read -r one_rps one_p99 one_failed < <(throughput "http://127.0.0.1:$port")
	kill "$SINGLE"; wait "$SINGLE" 2>/dev/null || true; SINGLE=
	echo "== $server: cluster of 2 workers" >&2
	start_cluster "$OUT/servers-$server-cluster.log"
	await_archive "$OUT/servers-$server-cluster.log"
	read -r rps p99 failed < <(throughput "http://127.0.0.1:$PORT")
	stop_cluster
	ROWS+=("$(printf '| %-6s | %8.0f | %6s | %8.0f | %6s | %5.2fx | %6s |' "$server" "$one_rps" "$one_p99" "$rps" "$p99" \
		"$(echo "$rps / $one_rps" | bc -l)" "$((one_failed + failed))")")
done

echo "## Throughput (wrk -t2 -c32 keep-alive, GET /hello, median of $RUNS runs of ${SECONDS_PER_RUN} s after ${WARMUP} s)"
echo
echo '| server | one JVM req/s | p99 ms | cluster req/s | p99 ms | cluster / one JVM | failed |'
echo '| ------ | ------------- | ------ | ------------- | ------ | ----------------- | ------ |'
printf '%s\n' "${ROWS[@]}"
for app in sample-app-jetty:jetty sample-app-webflux:netty; do
	module=${app%%:*} server=${app##*:}
	echo
	echo "## Rolling restarts under load: $server"
	echo
	JAR=$module/target/$module.jar bash bench/rolling-restart.sh "$ROLLING_SECONDS"
done
