#!/usr/bin/env bash
# The stricter sandbox (issue #33) against the one before it, in one run: the LangServer of this tree and of a
# baseline commit (default 337aa89, the last with the old sandbox: bubblewrap with no user namespace, root's
# capabilities kept under a root server, no limits but the address space) serve the same algorithm, taking turns.
# Per round and side: cold start (process start → first answered call: venv build, worker start, first call) and
# calls/s (wrk, 8 connections). Prints a Markdown table of medians with the spread (min–max) and the ratios.
# usage: bench/isolation.sh [rounds, default 5] [seconds per wrk run, default 5] [baseline commit, default 337aa89]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-5}
baseline=${3:-337aa89}
algorithm=$PWD/bench/algorithms/trivial
port=18711
old=/tmp/testbench-isolation-baseline

if [ ! -d "$old" ]; then git worktree add -f "$old" "$baseline" >/dev/null 2>&1; fi
git -C "$old" checkout -q "$baseline"
dotnet build "$old/src/TestBench.LocalCluster" -c Release -nologo -v q >/dev/null
dotnet build src/TestBench.LocalCluster -c Release -nologo -v q >/dev/null
declare -A server=([strict]=src/TestBench.LocalCluster/bin/Release/net10.0/TestBench.LocalCluster [old]=$old/src/TestBench.LocalCluster/bin/Release/net10.0/TestBench.LocalCluster)

now_ms() { date +%s%3N; }
# One round of one side: "cold_start_ms calls_per_second".
measure() {
  local start; start=$(now_ms)
  "${server[$1]}" langserver "$algorithm" --port $port --concurrency 2 --queue 1000 >"/tmp/bench-isolation-$1.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 3000); do
    curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$port/" && break
    sleep 0.02
  done
  local cold=$(( $(now_ms) - start ))
  local rps; rps=$(wrk -t2 -c8 -d"${seconds}s" -s bench/post.lua "http://127.0.0.1:$port/" | awk '/^Requests\/sec/ {print $2}')
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$cold $rps"
}

declare -A runs=([strict]="" [old]="")
for round in $(seq 1 "$rounds"); do
  # Alternate which side goes first, so that a drift of the machine falls on both.
  if (( round % 2 )); then order="old strict"; else order="strict old"; fi
  for side in $order; do runs[$side]+="$(measure "$side")"$'\n'; done
done

stats() { # side column → "median (min–max)"
  printf '%s' "${runs[$1]}" | awk -v c="$2" 'NF {print $c}' | sort -g | awk '{ v[NR] = $1 } END { printf "%s (%s–%s)", v[int((NR + 1) / 2)], v[1], v[NR] }'
}
median() { printf '%s' "${runs[$1]}" | awk -v c="$2" 'NF {print $c}' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$(median strict "$1")" -v b="$(median old "$1")" 'BEGIN { printf "%.2f", a / b }'; }

cat <<TABLE
| $rounds alternating rounds, median (min–max) | strict sandbox (this tree) | old sandbox ($baseline, baseline) | ratio strict/old |
|---|---|---|---|
| cold start: start → first answered call (ms) | $(stats strict 1) | $(stats old 1) | $(ratio 1) |
| calls/s (wrk -t2 -c8, ${seconds} s) | $(stats strict 2) | $(stats old 2) | $(ratio 2) |
TABLE
