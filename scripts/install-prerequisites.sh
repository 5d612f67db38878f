#!/usr/bin/env bash
# Installs what TestBench needs beyond the .NET SDK on a Debian machine (as root, or through sudo when needed):
# git (source pushes to the local cluster), Debian's Python 3 with venv (the LangPack build step), and
# Pillow for the image algorithms (seen by algorithms through a --system-site-packages virtual environment), and
# bubblewrap, the sandbox algorithms run in (without it the cluster warns at start and runs them unsandboxed).
# --with-chromium adds Debian's Chromium, which the test that renders the HTML report needs (CI passes it).
set -euo pipefail

packages=(git python3 python3-venv python3-pip python3-pil bubblewrap curl wrk)
for argument in "$@"; do
  case "$argument" in
    --with-chromium) packages+=(chromium) ;;
    *) echo "prerequisites: unknown option '$argument' (known: --with-chromium)" >&2; exit 2 ;;
  esac
done
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "prerequisites: all present (${packages[*]})"
  exit 0
fi

echo "prerequisites: installing ${missing[*]}"
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "prerequisites: run this script as root (missing: ${missing[*]})" >&2; exit 1; }
  as_root=(sudo)
fi
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
