#!/usr/bin/env bash
# Coordinated omission (issue #11): hello_world on an embedded destination that freezes 1 s in every 5 s, measured
# by the closed model (callers waiting for answers) and the open model (a fixed rate, timed from each call's due
# time). Prints Markdown for docs/benchmarks.md; the two .hgrm files' paths go to stderr.
# usage: bench/coordinated-omission.sh [seconds per model, default 20] [calls/s, default 200] [closed-model callers, default 4]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/TestBench.Bench -nologo -v q >/dev/null
DOTNET_ReadyToRun=0 dotnet run --no-build -c Release --project bench/TestBench.Bench -- co "$PWD" "${1:-20}" "${2:-200}" "${3:-4}"
