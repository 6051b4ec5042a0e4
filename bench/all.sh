#!/usr/bin/env bash
# Every benchmark, one after the other, in one run (about 80 minutes on 2 cores): the peers
# comparison, worker boot times, fairness and failover (also with a standby), rolling restarts
# and their latency, the accept path, memory, shared sessions, messaging. Each script's tables
# go to the terminal and, together, to bench/out/all-<date>.md.
#
# Usage: bench/all.sh   (JAVA_HOME selects the JDK for the JVM setups)
set -euo pipefail
cd "$(dirname "$0")/.."

report="bench/out/all-$(date -u +%Y%m%dT%H%M%SZ).md"
mkdir -p bench/out
{
	echo "# bench/all.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
	echo
	"${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1
} > "$report"
for script in peers.sh boot-time.sh failover.sh "STANDBY=1 failover.sh" rolling-restart.sh rollout-latency.sh \
		accept-path.sh memory.sh sessions.sh messaging.sh; do
	settings=()   # "NAME=value script.sh" runs the script with that environment variable
	[[ $script == *" "* ]] && settings=("${script% *}")
	echo "== bench/$script" >&2
	{ echo; echo "## bench/$script"; echo; } >> "$report"
	env "${settings[@]}" bash "bench/${script#* }" | tee -a "$report"
done
echo "Written to $report" >&2
