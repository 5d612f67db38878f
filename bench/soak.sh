#!/usr/bin/env bash
# Soak test of the embedded cluster (issue #13): SECONDS of calls from THREADS threads against one healthy and four
# faulty algorithms (crashing, hanging, printing, leaking), everything on 127.0.0.1. Reports server RSS and file
# descriptors at start and end, calls sent against calls answered, and processes left after shutdown, as Markdown
# for docs/benchmarks.md. usage: bench/soak.sh [seconds, default 600] [threads, default 4]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/TestBench.LocalCluster -c Release -nologo -v q >/dev/null
/usr/bin/python3 bench/soak.py src/TestBench.LocalCluster/bin/Release/net10.0/TestBench.LocalCluster "${1:-600}" "${2:-4}"
