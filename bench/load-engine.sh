#!/usr/bin/env bash
# Load-engine efficiency (issue #11): the harness's load runner vs wrk against the same endpoint (hello_world exported
# into an embedded destination cluster in its own process), at 1, 4 and 8 connections, taking turns for several
# rounds. Prints Markdown for docs/benchmarks.md (per-run figures go to stderr). Needs `wrk`.
# usage: bench/load-engine.sh [seconds per run, default 10] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/TestBench.Bench -nologo -v q >/dev/null
DOTNET_ReadyToRun=0 dotnet run --no-build -c Release --project bench/TestBench.Bench -- load "$PWD" "${1:-10}" "${2:-3}"
