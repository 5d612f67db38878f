#!/usr/bin/env bash
# Drives the embedded cluster with the official Algorithmia Python client's management calls (create, exists, update,
# builds, scm status, publish, compile, versions, info, pipe, languages, environments, scms, delete).
# Needs the client's source (ALGORITHMIA_PYTHON: a checkout of algorithmiaio/algorithmia-python, 2.0.5) and Debian's
# python3-requests, python3-six and python3-toml (run by /usr/bin/python3). The client imports two packages its
# management calls never use (algorithmia_api_client, the generated OpenAPI client, and adk); this script gives it empty
# stand-ins for those imports, written here, so that only the client's own HTTP code talks to the cluster.
# Usage: ALGORITHMIA_PYTHON=/path/to/algorithmia-python bash scripts/algorithmia-client-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=${ALGORITHMIA_PYTHON:?set ALGORITHMIA_PYTHON to a checkout of algorithmiaio/algorithmia-python}
[ -f "$source_dir/Algorithmia/client.py" ] || { echo "$source_dir has no Algorithmia/client.py" >&2; exit 2; }
work=$(mktemp -d /tmp/testbench-algorithmia-client-XXXXXX)
mkdir -p "$work/stubs/algorithmia_api_client" "$work/stubs/adk"
# Import stand-ins: names only, no behaviour (the management calls go through Client's requests helpers).
cat >"$work/stubs/algorithmia_api_client/__init__.py" <<'PY'
class _Unused:
    def __init__(self, *args, **kwargs):
        self.api_key = {}
Configuration = DefaultApi = ApiClient = CreateRequest = UpdateRequest = VersionRequest = Details = Settings = _Unused
SettingsMandatory = SettingsPublish = CreateRequestVersionInfo = VersionInfo = VersionInfoPublish = _Unused
PY
printf 'class ApiException(Exception):\n    pass\n' >"$work/stubs/algorithmia_api_client/rest.py"
printf 'class ADK:\n    pass\n' >"$work/stubs/adk/__init__.py"

dotnet build src/TestBench.LocalCluster -nologo -v q >/dev/null
mkfifo "$work/input"
src/TestBench.LocalCluster/bin/Debug/net10.0/TestBench.LocalCluster cluster --data "$work/data" --user checker --announce json --stop-with-input \
  <"$work/input" >"$work/server.out" 2>"$work/server.err" &
exec 3>"$work/input"
for _ in $(seq 1 100); do grep -q '"user_keys"' "$work/server.out" 2>/dev/null && break; sleep 0.1; done
address=$(grep -o '"address":"[^"]*"' "$work/server.out" | cut -d'"' -f4)
key=$(grep -o '"checker":"[^"]*"' "$work/server.out" | cut -d'"' -f4)
[ -n "$key" ] || { echo "the embedded cluster did not start: $(tail -3 "$work/server.err")" >&2; exit 1; }
PYTHONPATH="$source_dir:$work/stubs" /usr/bin/python3 scripts/algorithmia_client_check.py "${address%/}" "$key" checker
