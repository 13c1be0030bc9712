#!/usr/bin/env bash
# The README quick start on a fresh machine: gets Deno 2.9.6 (from the npm registry when the
# `deno` on PATH is missing or another version), caches the locked dependencies, then runs
# `deno task demo` (a walk-through against the embedded local AWS emulator; loopback only).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"
deno="$("$here/ensure_deno.sh")"
export PATH="$(dirname "$deno"):$PATH"
deno install --frozen
exec deno task demo
