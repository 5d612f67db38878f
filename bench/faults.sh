#!/usr/bin/env bash
# Issue #34's faults, measured. Needs a built solution (dotnet build TestBench.sln). Three parts, each printing Markdown:
#   table            every fault of the harness's fault tests (tests/…/Resilience/*FaultTests.cs) met by each
#                    platform's client against a fault server on 127.0.0.1: the message, seconds to fail, requests the
#                    server read. The tests' limits are small (2 retries, 0.5 s an attempt); docs/faults.md gives the
#                    defaults' times.
#   kill [rounds] [targets]
#                    the bad night: hello_world against one embedded destination whose process is killed (kill -9)
#                    once the export has been measured. Per target and round: seconds from the kill to the end of
#                    `dotnet test`, what the results file kept (complete?, export measures, cases by outcome), report,
#                    TRX, whether xUnit reported a collection clean-up failure, and the first failed case's reason.
#   host             the test host itself killed (kill -9) once hello_world's export on local has been measured: what
#                    reached the TRX run's attachments (the results file, marked incomplete, and a report rendered
#                    from it by the report collector).
#   start            local and a configured Racetrack whose every answer is a sign-in page (200, HTML): what each
#                    target's cases did.
# usage: bench/faults.sh table | kill [rounds, default 1] [targets, default "local racetrack wallaroo"] | host | start
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/testbench-faults-XXXXXX)

# The results file as one Markdown row's cells: "results JSON | cases | first failed case's reason".
describe_results() { # results.json
  python3 - "$1" <<'PY'
import json, os, sys
path = sys.argv[1]
if not os.path.exists(path):
    print("no | – | –"); sys.exit()
run = json.load(open(path))
outcomes = {}
for case in run["cases"]:
    outcomes[case["outcome"]] = outcomes.get(case["outcome"], 0) + 1
failed = [c for c in run["cases"] if c["outcome"] == "failed"]
reason = failed[0]["reason"].splitlines()[0].replace("|", "/") if failed else "–"
print(f'yes (complete: {str(run["complete"]).lower()}, {len(run["exports"])} export measure(s), {len(run["outages"])} outage(s), {len(run["leftovers"])} leftover(s)) | '
      + ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items())) + f" | {reason}")
PY
}

table() {
  local rows=$work/faults.tsv
  TESTBENCH_FAULT_TABLE=$rows dotnet test tests/TestBench.Harness.Tests --no-build \
    --filter "FullyQualifiedName~TestBench.Harness.Tests.Resilience&FullyQualifiedName~FaultTests" >"$work/table.log" 2>&1 || { tail -20 "$work/table.log"; exit 1; }
  echo "| fault | platform | seconds to fail | requests the server read | message | what the run keeps and does next |"
  echo "|---|---|---|---|---|---|"
  # In the catalogue's order of faults, then platform.
  python3 - "$rows" <<'PY'
import re, sys
rows = sorted((line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()), key=lambda r: (int(r[0]), r[1]))
for _, platform, fault, seconds, requests, message in rows:
    # A quoted body of one repeated character (the 10 MiB one) is shortened here, not in the message.
    message = re.sub(r"(.)\1{19,}", lambda m: m.group(1) * 8 + "…", message).replace("|", "/")
    then = ("case failed with this sentence; target marked down once, its remaining cases fail at once"
            if "gave no answer" in message else "case failed with this sentence; the target's other cases run")
    print(f"| {fault} | {platform} | {seconds} | {requests} | {message} | {then} |")
PY
}

# The destination's server process of each target (the source cluster, user "quality", is left alone).
declare -A destination=(
  [local]='TestBench.LocalCluster(.dll)? cluster --data [^ ]*testbench-testbench-cluster-'
  [racetrack]='TestBench.LocalCluster(.dll)? racetrack --data'
  [wallaroo]='TestBench.LocalCluster(.dll)? wallaroo --data'
)

now_ms() { date +%s%3N; }

# Waits (at most 10 minutes) until the results file that the command "$3…" lists holds an export measure, or the run
# (pid $1) ends; then kills (-9) the processes matching $2, waits for the run to end and prints the seconds from the kill.
kill_after_export() {
  local run=$1 victim=$2; shift 2
  local results
  for _ in $(seq 1 3000); do
    results=$("$@" 2>/dev/null | head -1 || true)
    if [ -n "$results" ] && python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["exports"] else 1)' "$results" 2>/dev/null; then break; fi
    if ! kill -0 "$run" 2>/dev/null; then break; fi
    sleep 0.2
  done
  local killed; killed=$(now_ms)
  pkill -9 -f -- "$victim" || echo "no process matches $victim" >&2
  # Polled, not waited for: this runs in a subshell, of which the run is no child. At most 10 minutes.
  for _ in $(seq 1 6000); do kill -0 "$run" 2>/dev/null || break; sleep 0.1; done
  awk -v ms=$(( $(now_ms) - killed )) 'BEGIN { printf "%.1f", ms / 1000 }'
}

kill_round() { # target round → one Markdown row
  local target=$1 out=$work/$1-$2
  mkdir -p "$out"
  TESTBENCH_TARGETS=$target TESTBENCH_RESULTS_DIRECTORY=$out/results \
    dotnet test tests/TestBench.Benchmarks --no-build --settings .runsettings --filter Workflow=hello_world \
    --logger "trx;LogFileName=run.trx" --results-directory "$out/trx" >"$out/console.log" 2>&1 &
  local run=$! results=$out/results/testbench-results.json
  local seconds; seconds=$(kill_after_export "$run" "${destination[$target]}" ls "$results")
  wait "$run" || true
  local trx; trx=$(find "$out/trx" -name '*.trx' | head -1)
  local cleanup=no report=no
  if [ -n "$trx" ] && grep -q 'Collection Cleanup Failure' "$trx"; then cleanup=yes; fi
  if [ -f "$out/results/testbench-report.html" ]; then report=yes; fi
  echo "| $target | $seconds | $(describe_results "$results") | $report | $([ -n "$trx" ] && echo yes || echo no) | $cleanup |"
}

kill_all() {
  local rounds=${1:-1} targets=${2:-local racetrack wallaroo}
  echo "| target | s from kill to end | results JSON | cases | first failed case's reason | report | TRX | collection clean-up failure |"
  echo "|---|---|---|---|---|---|---|---|"
  for round in $(seq 1 "$rounds"); do
    for target in $targets; do kill_round "$target" "$round"; done
  done
}

host() {
  local out=$work/host
  mkdir -p "$out"
  TESTBENCH_TARGETS=local dotnet test tests/TestBench.Benchmarks --no-build --settings .runsettings --filter Workflow=hello_world \
    --logger "trx;LogFileName=run.trx" --results-directory "$out/trx" >"$out/console.log" 2>&1 &
  local run=$!
  # The results file as attached so far: in the collector's folder, made after this run started.
  local seconds; seconds=$(kill_after_export "$run" 'TestBench.Benchmarks/bin/.*/testhost.dll' \
    find /tmp -maxdepth 2 -path '/tmp/testbench-attachments-*/testbench-results.json' -newer "$out")
  wait "$run" || true
  local results; results=$(find "$out/trx" -name testbench-results.json | head -1)
  local report; report=$(find "$out/trx" -name testbench-report.html | head -1)
  local trx; trx=$(find "$out/trx" -name '*.trx' | head -1)
  echo "| s from kill to end | results JSON attached | cases | first failed case's reason | report attached | says the run did not end | TRX lists the report |"
  echo "|---|---|---|---|---|---|---|"
  echo "| $seconds | $(describe_results "${results:-/nonexistent}") | $([ -n "$report" ] && echo yes || echo no) | $([ -n "$report" ] && grep -q 'This run did not end' "$report" && echo yes || echo no) | $([ -n "$trx" ] && grep -q testbench-report.html "$trx" && echo yes || echo no) |"
}

start() {
  local port=18733 out=$work/start
  mkdir -p "$out"
  /usr/bin/python3 - "$port" <<'PY' &
import http.server, sys
class SignIn(http.server.BaseHTTPRequestHandler):
    def answer(self):
        body = b"<html><head><title>Sign in - Corporate SSO</title></head><body>login</body></html>"
        self.send_response(200); self.send_header("Content-Type", "text/html"); self.send_header("Content-Length", str(len(body)))
        self.end_headers(); self.wfile.write(body)
    do_GET = do_POST = do_PUT = do_DELETE = answer
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), SignIn).serve_forever()
PY
  local gateway=$!
  trap 'kill $gateway 2>/dev/null || true' RETURN
  sleep 1
  TESTBENCH_TARGETS=local,racetrack RACETRACK_LIFECYCLE_URL=http://127.0.0.1:$port/ RACETRACK_AUTH_TOKEN=rt$(openssl rand -hex 16) \
    TESTBENCH_RESULTS_DIRECTORY=$out/results timeout 900 dotnet test tests/TestBench.Benchmarks --no-build --settings .runsettings \
    --filter Workflow=hello_world --logger "trx;LogFileName=run.trx" --results-directory "$out/trx" >"$out/console.log" 2>&1 || true
  python3 - "$out/results/testbench-results.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
print("| target | cases | reason of the first failed case |"); print("|---|---|---|")
for target in sorted({c["target"] for c in run["cases"]}):
    cases = [c for c in run["cases"] if c["target"] == target]
    outcomes = {}
    for c in cases: outcomes[c["outcome"]] = outcomes.get(c["outcome"], 0) + 1
    failed = [c for c in cases if c["outcome"] == "failed"]
    print(f'| {target} | {", ".join(f"{n} {o}" for o, n in sorted(outcomes.items()))} | {failed[0]["reason"] if failed else "–"} |')
print(f'\nresults file complete: {str(run["complete"]).lower()}; outages: {len(run["outages"])}')
PY
}

case "${1:-}" in
  table) table ;;
  kill) kill_all "${2:-1}" "${3:-local racetrack wallaroo}" ;;
  host) host ;;
  start) start ;;
  *) sed -n '2,20p' "$0"; exit 2 ;;
esac
echo
echo "(files in $work)"
