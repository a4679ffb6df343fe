#!/usr/bin/env bash
# Prints the path of a promtool: the one on PATH, else Prometheus's Debian package unpacked
# into .local/promtool (no root, no install: `apt-get download` + `dpkg-deb -x`). Exits 3 when
# neither is possible (not a Debian-like machine, no package index): the caller skips the check.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if command -v promtool >/dev/null 2>&1; then command -v promtool; exit 0; fi
LOCAL="$ROOT/.local/promtool"
if [[ -x "$LOCAL/usr/bin/promtool" ]]; then echo "$LOCAL/usr/bin/promtool"; exit 0; fi
command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 || exit 3
mkdir -p "$LOCAL" && cd "$LOCAL"
apt-get download prometheus >/dev/null 2>&1 || exit 3
dpkg-deb -x prometheus_*.deb . && rm -f prometheus_*.deb
echo "$LOCAL/usr/bin/promtool"
