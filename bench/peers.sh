#!/usr/bin/env bash
# The sample cluster side by side with the usual alternatives, on the same machine, in one run.
#
# Setups (2 workers each; this machine has 2 cores):
#   cluster   java -jar sample-app.jar (this starter, 2 workers sharing one socket)
#   one-jvm   the same jar as one process (cluster.workers=0)
#   nginx     nginx (worker_processes auto) proxying to 2 single JVMs on 2 ports
#   node      Node's cluster module (peers/node-cluster.js: one worker per CPU, res.end('end'))
#   pm2       PM2 cluster mode, 2 instances of peers/node-app.js
#   gunicorn  Gunicorn, 2 sync workers (peers/wsgi_app.py)
# For each: a warm-up, then RUNS wrk runs of SECONDS each with keep-alive and with
# "Connection: close" (throughput and p50/p99: medians over the runs), requests per worker with
# each kind of connection (fairness), and the memory of the whole process tree after the load.
# Then, for the setups that have them: 5 rolling restarts under load (ours, pm2 reload,
# Gunicorn HUP) and a kill -9 of one worker under load (ours, node, pm2, Gunicorn).
#
# Usage: bench/peers.sh [RUNS] [SECONDS]   (default 3 runs of 10 s)
# CLUSTER_ARGS adds arguments to the cluster's command line, e.g.
# CLUSTER_ARGS=--cluster.worker.cpu-affinity=auto bench/peers.sh
# Installs wrk, nginx and Gunicorn with apt-get and PM2 with npm if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-3}
SECONDS_PER_RUN=${2:-10}
WARMUP=${WARMUP:-30}   # seconds of keep-alive load before measuring; 5 s with "Connection: close" follow
WRK=(wrk -t2 -c32)
. bench/lib.sh
ensure_wrk
ensure_peers
ensure_jar

ROOTS=()   # the processes whose trees make up the running setup
URL=
trap teardown EXIT

setup_cluster() {
	# shellcheck disable=SC2086 # a list of arguments
	start_cluster "$OUT/peers-cluster.log" ${CLUSTER_ARGS:-}
	ROOTS=("$MASTER")
	URL="http://127.0.0.1:$PORT"
	await_archive "$OUT/peers-cluster.log"
}

setup_one-jvm() {
	local port; port=$(free_port)
	ROOTS=("$(start_single_jvm "$port" "$OUT/peers-one-jvm.log")")
	URL="http://127.0.0.1:$port"
	await_http "$URL/hello"
}

setup_nginx() {
	local port a b; port=$(free_port); a=$(free_port); b=$(free_port)
	ROOTS=("$(start_single_jvm "$a" "$OUT/peers-nginx-a.log")" "$(start_single_jvm "$b" "$OUT/peers-nginx-b.log")")
	await_http "http://127.0.0.1:$a/hello"
	await_http "http://127.0.0.1:$b/hello"
	mkdir -p "$OUT/nginx"
	sed -e "s|@PORT@|$port|; s|@A@|$a|; s|@B@|$b|; s|@DIR@|$PWD/$OUT/nginx|g" bench/peers/nginx.conf > "$OUT/nginx/nginx.conf"
	nginx -p "$PWD/$OUT/nginx" -c "$PWD/$OUT/nginx/nginx.conf" &
	ROOTS+=($!)
	URL="http://127.0.0.1:$port"
	await_http "$URL/hello"
}

setup_node() {
	local port; port=$(free_port)
	PORT=$port node bench/peers/node-cluster.js > "$OUT/peers-node.log" 2>&1 &
	ROOTS=($!)
	URL="http://127.0.0.1:$port"
	await_http "$URL/hello"
}

setup_pm2() {
	local port; port=$(free_port)
	PORT=$port pm2 start bench/peers/node-app.js -i 2 --name peers > "$OUT/peers-pm2.log" 2>&1
	ROOTS=("$(cat "$PM2_HOME/pm2.pid")")
	URL="http://127.0.0.1:$port"
	await_http "$URL/hello"
}

setup_gunicorn() {
	local port; port=$(free_port)
	gunicorn --workers 2 --worker-class sync --bind "127.0.0.1:$port" --chdir bench/peers \
		wsgi_app:application > "$OUT/peers-gunicorn.log" 2>&1 &
	ROOTS=($!)
	URL="http://127.0.0.1:$port"
	await_http "$URL/hello"
}

teardown() {
	local pids
	pids=$(descendants "${ROOTS[@]}")
	# Before the TERM: a pm2 kill that finds its daemon half gone may hang (seen 2026-11-28)
	timeout 30 pm2 kill > /dev/null 2>&1 || true
	[ -z "$pids" ] || kill -TERM $pids 2>/dev/null || true
	for _ in $(seq 1 60); do
		alive=
		for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ -z "$alive" ] && break
		sleep 0.5
	done
	[ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
	ROOTS=()
	MASTER=
}

# The pids that serve requests: the children of the supervising process.
workers() { pgrep -P "${ROOTS[0]}"; }

# measure_throughput NAME MODE: medians of RUNS wrk runs as "req/s p50 p99"
measure_throughput() {
	local name=$1 mode=$2 header=() r
	[ "$mode" = close ] && header=(-H "Connection: close")
	for r in $(seq 1 "$RUNS"); do
		"${WRK[@]}" -d"${SECONDS_PER_RUN}"s --latency "${header[@]}" "$URL/hello" > "$OUT/peers-$name-$mode-$r.txt"
	done
	local rps p50 p99
	rps=$(for r in $(seq 1 "$RUNS"); do wrk_requests_per_second "$OUT/peers-$name-$mode-$r.txt"; done | median)
	p50=$(for r in $(seq 1 "$RUNS"); do wrk_percentile_ms 50% "$OUT/peers-$name-$mode-$r.txt"; done | median)
	p99=$(for r in $(seq 1 "$RUNS"); do wrk_percentile_ms 99% "$OUT/peers-$name-$mode-$r.txt"; done | median)
	local failed=0
	for r in $(seq 1 "$RUNS"); do failed=$((failed + $(failed_requests "$OUT/peers-$name-$mode-$r.txt"))); done
	echo "$rps $p50 $p99 $failed"
}

# measure_fairness NAME MODE: "max/min workers-seen" of the requests per worker over 10 s of /whoami
measure_fairness() {
	local name=$1 mode=$2 header=()
	[ "$mode" = close ] && header=(-H "Connection: close")
	"${WRK[@]}" -d10s -s bench/peers/count-by-body.lua "${header[@]}" "$URL/whoami" > "$OUT/peers-$name-fair-$mode.txt"
	awk '$1 == "worker" { n++; c = $NF; if (c > max) max = c; if (min == "" || c < min) min = c }
		END { if (n < 2) print "-", n + 0; else printf "%.2f %d\n", max / min, n }' "$OUT/peers-$name-fair-$mode.txt"
}

THROUGHPUT=()
MEMORY=()
for name in cluster one-jvm nginx node pm2 gunicorn; do
	echo "== $name" >&2
	"setup_$name"
	idle=$(tree_memory_mb "${ROOTS[@]}")
	# Warm-up: JIT compilation in every JVM, connection pools in nginx
	"${WRK[@]}" -d"${WARMUP}"s "$URL/hello" > /dev/null
	"${WRK[@]}" -d5s -H "Connection: close" "$URL/hello" > /dev/null
	read -r ka_rps ka_p50 ka_p99 ka_failed <<< "$(measure_throughput "$name" keep-alive)"
	read -r cl_rps cl_p50 cl_p99 cl_failed <<< "$(measure_throughput "$name" close)"
	read -r ka_fair workers_seen <<< "$(measure_fairness "$name" keep-alive)"
	read -r cl_fair _ <<< "$(measure_fairness "$name" close)"
	loaded=$(tree_memory_mb "${ROOTS[@]}")
	THROUGHPUT+=("$name $ka_rps $ka_p50 $ka_p99 $cl_rps $cl_p50 $cl_p99 $((ka_failed + cl_failed)) $ka_fair $cl_fair $workers_seen")
	MEMORY+=("$name $(descendants "${ROOTS[@]}" | wc -l) $idle $loaded")
	teardown
done

# rolling_restarts NAME MODE: 5 restarts one after the other under wrk load; "requests failed seconds"
rolling_restarts() {
	local name=$1 mode=$2 header=() wrk_pid started
	[ "$mode" = close ] && header=(-H "Connection: close")
	"${WRK[@]}" -d600s "${header[@]}" "$URL/hello" > "$OUT/peers-$name-restarts-$mode.txt" &
	wrk_pid=$!
	sleep 3
	started=$(date +%s%N)
	for _ in 1 2 3 4 5; do "restart_$name"; done
	local took
	took=$(awk -v ns="$(( $(date +%s%N) - started ))" 'BEGIN { printf "%.1f", ns / 1e9 }')
	sleep 2
	kill -INT $wrk_pid
	wait $wrk_pid || true
	echo "$(wrk_requests "$OUT/peers-$name-restarts-$mode.txt") $(failed_requests "$OUT/peers-$name-restarts-$mode.txt") $took"
}

restart_cluster() {
	curl -sf -o /dev/null -u "$ADMIN" -X POST -H 'Content-Type: application/json' -d '{"action":"restart"}' "$URL/actuator/cluster"
	[ "$(await_rollout "$URL")" = SUCCEEDED ] || { echo "rollout failed" >&2; return 1; }
}

restart_pm2() { pm2 reload peers > /dev/null; }

# Gunicorn's HUP starts new workers and stops the old ones gracefully; done when none of the old
# workers is left and the new ones are running.
restart_gunicorn() {
	local old new
	old=$(pgrep -P "${ROOTS[0]}" | sort)
	kill -HUP "${ROOTS[0]}"
	for _ in $(seq 1 600); do
		new=$(pgrep -P "${ROOTS[0]}" | sort)
		if [ "$(echo "$new" | wc -l)" -eq 2 ] && [ -z "$(comm -12 <(echo "$old") <(echo "$new"))" ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "Gunicorn did not replace its workers" >&2
	return 1
}

RESTARTS=()
for name in cluster pm2 gunicorn; do
	echo "== $name: rolling restarts" >&2
	"setup_$name"
	"${WRK[@]}" -d"${WARMUP}"s "$URL/hello" > /dev/null
	RESTARTS+=("$name $(rolling_restarts "$name" keep-alive) $(rolling_restarts "$name" close)")
	teardown
done

# kill_worker NAME: kill -9 of one worker 10 s into 30 s of keep-alive load. Prints "failed ms",
# ms = from the kill until a process other than the victim and the survivors answers /whoami on a
# new connection (polled every 50 ms).
kill_worker() {
	local name=$1 victim survivors wrk_pid killed_at recovered= body pid
	read -r victim survivors <<< "$(workers | paste -sd' ')"
	"${WRK[@]}" -d30s "$URL/hello" > "$OUT/peers-$name-kill.txt" &
	wrk_pid=$!
	sleep 10
	killed_at=$(date +%s%N)
	kill -KILL "$victim"
	while [ -z "$recovered" ]; do
		body=$(curl -s --max-time 1 -H "Connection: close" "$URL/whoami" || true)
		pid=$(grep -oE '[0-9]+' <<< "$body" | tail -1 || true)
		if [ -n "$pid" ] && [ "$pid" != "$victim" ] && ! grep -qw "$pid" <<< "$survivors"; then
			recovered=$(date +%s%N)
		fi
		[ $(( ($(date +%s%N) - killed_at) / 1000000000 )) -lt 120 ] || { echo "no recovery within 120 s" >&2; break; }
		sleep 0.05
	done
	wait $wrk_pid || true
	echo "$(failed_requests "$OUT/peers-$name-kill.txt") $(( (${recovered:-$killed_at} - killed_at) / 1000000 ))"
}

KILLS=()
for name in cluster node pm2 gunicorn; do
	echo "== $name: kill -9" >&2
	"setup_$name"
	"${WRK[@]}" -d"${WARMUP}"s "$URL/hello" > /dev/null
	KILLS+=("$name $(kill_worker "$name")")
	teardown
done

{
	echo "## Throughput and latency (wrk -t2 -c32, median of $RUNS runs of ${SECONDS_PER_RUN} s after a $((WARMUP + 5)) s warm-up)"
	echo
	echo "| setup    | keep-alive req/s | p50 ms | p99 ms | close req/s | p50 ms | p99 ms | failed | vs one JVM (ka / close) |"
	echo "| -------- | ---------------- | ------ | ------ | ----------- | ------ | ------ | ------ | ----------------------- |"
	read -r _ base_ka _ _ base_cl _ <<< "$(printf '%s\n' "${THROUGHPUT[@]}" | grep '^one-jvm ')"
	for row in "${THROUGHPUT[@]}"; do
		read -r name ka p50 p99 cl cp50 cp99 failed _ <<< "$row"
		awk -v n="$name" -v ka="$ka" -v p50="$p50" -v p99="$p99" -v cl="$cl" -v cp50="$cp50" -v cp99="$cp99" \
			-v f="$failed" -v bka="$base_ka" -v bcl="$base_cl" 'BEGIN {
			printf "| %-8s | %16.0f | %6.2f | %6.2f | %11.0f | %6.2f | %6.2f | %6d | %10.2f / %-10.2f |\n",
				n, ka, p50, p99, cl, cp50, cp99, f, ka / bka, cl / bcl }'
	done
	echo
	echo "## Fairness (requests per worker over 10 s of /whoami, max/min)"
	echo
	echo "| setup    | workers | keep-alive | close |"
	echo "| -------- | ------- | ---------- | ----- |"
	for row in "${THROUGHPUT[@]}"; do
		read -r name _ _ _ _ _ _ _ ka_fair cl_fair seen <<< "$row"
		printf '| %-8s | %7s | %10s | %5s |\n' "$name" "$seen" "$ka_fair" "$cl_fair"
	done
	echo
	echo "## Memory of the whole process tree (MB; PSS counts shared pages once)"
	echo
	echo "| setup    | processes | RSS idle | PSS idle | RSS after load | PSS after load |"
	echo "| -------- | --------- | -------- | -------- | -------------- | -------------- |"
	for row in "${MEMORY[@]}"; do
		read -r name procs irss ipss lrss lpss <<< "$row"
		printf '| %-8s | %9s | %8s | %8s | %14s | %14s |\n' "$name" "$procs" "$irss" "$ipss" "$lrss" "$lpss"
	done
	echo
	echo "## 5 rolling restarts under load (wrk -t2 -c32)"
	echo
	echo "| setup    | keep-alive requests | failed | took s | close requests | failed | took s |"
	echo "| -------- | ------------------- | ------ | ------ | -------------- | ------ | ------ |"
	for row in "${RESTARTS[@]}"; do
		read -r name kr kf kt cr cf ct <<< "$row"
		printf '| %-8s | %19s | %6s | %6s | %14s | %6s | %6s |\n' "$name" "$kr" "$kf" "$kt" "$cr" "$cf" "$ct"
	done
	echo
	echo "## kill -9 of one worker under keep-alive load"
	echo
	echo "| setup    | failed requests | kill to replacement's first response (ms) |"
	echo "| -------- | --------------- | ----------------------------------------- |"
	for row in "${KILLS[@]}"; do
		read -r name failed ms <<< "$row"
		printf '| %-8s | %15s | %41s |\n' "$name" "$failed" "$ms"
	done
} | tee "$OUT/peers.md"
