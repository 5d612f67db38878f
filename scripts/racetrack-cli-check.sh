#!/usr/bin/env bash
# Drives the embedded Racetrack with Racetrack's own CLI, as a new user would: set remote, login, deploy (local build
# context), list, call, logs, build-logs, a job that reads its secret runtime variable, move, delete.
# Needs Racetrack's source (RACETRACK_SOURCE: a checkout of TheRacetrack/racetrack; the CLI is its racetrack_client/),
# a python3 with pydantic 2 (PYTHON, default python3) and Debian's python3-typer python3-backoff python3-socketio
# python3-engineio python3-bidict python3-yaml. Prints the transcript with the token masked; exits non-zero when a
# step that must succeed fails.
# Usage: RACETRACK_SOURCE=/path/to/racetrack bash scripts/racetrack-cli-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=${RACETRACK_SOURCE:?set RACETRACK_SOURCE to a checkout of TheRacetrack/racetrack}
[ -d "$source_dir/racetrack_client/racetrack_client" ] || { echo "$source_dir has no racetrack_client/racetrack_client" >&2; exit 2; }
python=${PYTHON:-python3}
"$python" -c 'import pydantic, sys; sys.exit(0 if pydantic.VERSION.startswith("2") else 1)' \
  || { echo "$python has no pydantic 2 (the CLI needs it); set PYTHON" >&2; exit 2; }
work=$(mktemp -d /tmp/testbench-racetrack-cli-XXXXXX)
mkdir -p "$work/home" "$work/adder" "$work/reader"
dotnet build src/TestBench.LocalCluster -nologo -v q >/dev/null
# The server stops when its input closes (--stop-with-input): this script holds the FIFO's write end until it exits.
mkfifo "$work/input"
src/TestBench.LocalCluster/bin/Debug/net10.0/TestBench.LocalCluster racetrack --data "$work/data" --announce json --stop-with-input \
  <"$work/input" >"$work/server.out" 2>"$work/server.err" &
exec 3>"$work/input"
for _ in $(seq 1 100); do grep -q '"token"' "$work/server.out" 2>/dev/null && break; sleep 0.1; done
address=$(grep -o '"address":"[^"]*"' "$work/server.out" | cut -d'"' -f4)
token=$(grep -o '"token":"[^"]*"' "$work/server.out" | cut -d'"' -f4)
[ -n "$token" ] || { echo "the embedded Racetrack did not start: $(tail -3 "$work/server.err")" >&2; exit 1; }

racetrack() { HOME="$work/home" PYTHONPATH="$source_dir/racetrack_client:/usr/lib/python3/dist-packages" "$python" -m racetrack_client "$@"; }
step() { echo "\$ racetrack $*" | sed "s/$token/<token>/g"; racetrack "$@" 2>&1 | sed "s/$token/<token>/g"; return "${PIPESTATUS[0]}"; }

printf 'class AdderModel:\n    def perform(self, numbers: list[float]) -> float:\n        print("adding", numbers)\n        return sum(numbers)\n\n    def docs_input_example(self) -> dict:\n        return {"numbers": [40, 2]}\n' >"$work/adder/adder.py"
printf 'name: adder\nowner_email: sample@example.com\njobtype: python3:latest\nversion: 0.0.2\ngit:\n  remote: https://example.test/jobs.git\njobtype_extra:\n  entrypoint_path: adder.py\n  entrypoint_class: AdderModel\n' >"$work/adder/job.yaml"
printf 'import os\n\nclass Reader:\n    def perform(self):\n        return {"has_secret": os.environ.get("READER_SECRET") == "from-the-secret-file"}\n' >"$work/reader/reader.py"
printf 'name: secret-reader\nowner_email: sample@example.com\njobtype: python3:latest\nversion: 1.0.0\ngit:\n  remote: https://example.test/jobs.git\njobtype_extra:\n  entrypoint_path: reader.py\nsecret_runtime_env_file: .env.secret\nreplicas: 2\n' >"$work/reader/job.yaml"
printf 'READER_SECRET=from-the-secret-file\n' >"$work/reader/.env.secret"

step set remote "${address%/}"
step login "$token"
step deploy "$work/adder" --build-context local
step list
step call adder /api/v1/perform '{"numbers": [40, 2]}' | tee "$work/call.txt"
grep -qx '42' "$work/call.txt"
step logs adder
step build-logs adder --version latest | tail -3
step deploy "$work/reader" --build-context local
step call secret-reader /api/v1/perform '{}' | tee "$work/secret.txt"
grep -q '"has_secret": true' "$work/secret.txt"
step move secret-reader --version 1.0.0 --infrastructure kubernetes || true
step delete adder --version 0.0.2
step delete secret-reader --version 1.0.0
step list
step login not-the-token || true
echo "racetrack CLI check: passed (work folder $work)"
