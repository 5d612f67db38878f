#!/usr/bin/env bash
# Export benchmark (issue #5): data-file copy through the exporter vs `curl | curl`, the harness's peak memory
# growth, and first vs second export of an unchanged run_only workflow. Prints Markdown for docs/benchmarks.md.
# usage: bench/export.sh [file size in MiB, default 1024]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/TestBench.Bench -- export "$PWD" "${1:-1024}"
