#!/usr/bin/env bash
# Benchmarks the LangServer runtime against its baseline, side by side in one run, and prints a Markdown
# table for docs/benchmarks.md. Baseline: the standard library's ThreadingHTTPServer calling the same apply().
# Both get the same load generator (wrk), the same connections and the same duration; everything on 127.0.0.1.
# The machine is shared and noisy, so the two servers take turns for several rounds and the medians are
# reported. usage: bench/langserver.sh [seconds per run, default 10] [connections, default 8] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-8}
rounds=${3:-3}
python=${TESTBENCH_PYTHON:-/usr/bin/python3}
algorithm=bench/algorithms/trivial
lang_port=18701
base_port=18702

dotnet build src/TestBench.LocalCluster -c Release -nologo -v q >/dev/null
server=src/TestBench.LocalCluster/bin/Release/net10.0/TestBench.LocalCluster

"$server" langserver "$algorithm" --port $lang_port --concurrency 2 --queue 1000 >/tmp/bench-langserver.log 2>&1 &
lang_pid=$!
"$python" bench/baseline_server.py "$algorithm" trivial $base_port 2>/dev/null &
base_pid=$!
trap 'kill $lang_pid $base_pid 2>/dev/null || true' EXIT
for port in $lang_port $base_port; do
  for _ in $(seq 1 100); do curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$port/" && break; sleep 0.2; done
done

# wrk's latency table → "p50 p99" in milliseconds, and its requests/s.
measure() { # port connections
  local threads=$(( $2 < 2 ? $2 : 2 ))
  local out; out=$(wrk -t"$threads" -c"$2" -d"${seconds}s" --latency -s bench/post.lua "http://127.0.0.1:$1/")
  local rps; rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  local errors; errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
  [ -z "$errors" ] || { echo "errors against port $1: $errors" >&2; exit 1; }
  to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms/,"",v) } else if (v ~ /s$/) { sub(/s/,"",v); v*=1000 } printf "%.3f", v }' <<<"$1"; }
  local p50; p50=$(to_ms "$(awk '$1=="50%" {print $2}' <<<"$out")")
  local p99; p99=$(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")")
  echo "$rps $p50 $p99"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
lang_runs=(); base_runs=()
for _ in $(seq 1 "$rounds"); do
  lang_runs+=("$(measure $lang_port "$connections")")
  base_runs+=("$(measure $base_port "$connections")")
done
column() { # index, runs...
  local index=$1; shift
  printf '%s\n' "$@" | awk -v i="$index" '{ print $i }' | median
}
lang_rps=$(column 1 "${lang_runs[@]}"); lang_p50=$(column 2 "${lang_runs[@]}"); lang_p99=$(column 3 "${lang_runs[@]}")
base_rps=$(column 1 "${base_runs[@]}"); base_p50=$(column 2 "${base_runs[@]}"); base_p99=$(column 3 "${base_runs[@]}")
read -r _ lang_single_p50 _ < <(measure $lang_port 1)
bare=$("$python" bench/bare_pipe.py "$PWD/src/TestBench.LocalCluster/LangPacks/python3/pipe.py" "$python" "$PWD/$algorithm" trivial 5000)
bare_p50_ms=$("$python" -c "import json,sys; print('%.3f' % (json.loads(sys.argv[1])['p50_us']/1000))" "$bare")

cat <<TABLE
| median of $rounds alternating rounds ($connections connections, ${seconds}s each, wrk -t2) | LangServer | ThreadingHTTPServer (baseline) | ratio |
|---|---|---|---|
| throughput (requests/s) | $lang_rps | $base_rps | $(awk -v a="$lang_rps" -v b="$base_rps" 'BEGIN{printf "%.2f×", a/b}') |
| latency p50 (ms) | $lang_p50 | $base_p50 | $(awk -v a="$lang_p50" -v b="$base_p50" 'BEGIN{printf "%.2f", a/b}') |
| latency p99 (ms) | $lang_p99 | $base_p99 | $(awk -v a="$lang_p99" -v b="$base_p99" 'BEGIN{printf "%.2f", a/b}') |

| single connection | p50 (ms) |
|---|---|
| LangServer over HTTP | $lang_single_p50 |
| bare pipe round trip (no HTTP, bench/bare_pipe.py) | $bare_p50_ms |
| overhead of the server | $(awk -v a="$lang_single_p50" -v b="$bare_p50_ms" 'BEGIN{printf "%.3f", a-b}') |
TABLE
