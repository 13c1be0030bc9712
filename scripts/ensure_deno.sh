#!/usr/bin/env bash
# Prints the path of a Deno 2.9.6 binary, installing it from the npm registry when the
# `deno` on PATH is missing or another version. The toolchain lives in scripts/deno_tool/
# (its own package.json + package-lock.json), never at the project root: a root package.json
# switches Deno to a manual node_modules layout and breaks `npm:` resolution.
set -euo pipefail
want="2.9.6"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tool="$here/deno_tool"
bin="$tool/node_modules/deno/deno"

stamp="$tool/.verified"

version_of() { "$1" --version 2>/dev/null | head -n1 | awk '{print $2}'; }

# Prints the verified binary and records it for scripts/atmos: the stamp is written after the
# binary, so it is newer than the binary until the binary is replaced.
verified() {
  printf '%s\n' "$1" >"$stamp.tmp" 2>/dev/null && mv -f "$stamp.tmp" "$stamp" 2>/dev/null || true
  echo "$1"
  exit 0
}

if command -v deno >/dev/null 2>&1 && [ "$(version_of "$(command -v deno)")" = "$want" ]; then
  verified "$(command -v deno)"
fi
if [ -x "$bin" ] && [ "$(version_of "$bin")" = "$want" ]; then
  verified "$bin"
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "ensure_deno: npm is needed to install Deno $want (apt-get install -y npm, or install Deno $want yourself)" >&2
  exit 2
fi
echo "ensure_deno: installing Deno $want from the npm registry into $tool" >&2
(cd "$tool" && npm ci --no-audit --no-fund --loglevel=error >&2)
# npm may skip the postinstall that links the native binary; link it from the platform package.
if [ ! -x "$bin" ] || [ "$(version_of "$bin")" != "$want" ]; then
  native="$(ls -d "$tool"/node_modules/@deno/*/deno 2>/dev/null | head -n1 || true)"
  if [ -n "$native" ]; then ln -f "$native" "$bin" 2>/dev/null || cp "$native" "$bin"; chmod +x "$bin"; fi
fi
if [ "$(version_of "$bin")" != "$want" ]; then
  echo "ensure_deno: could not install Deno $want (got: $("$bin" --version 2>&1 | head -n1))" >&2
  exit 1
fi
verified "$bin"
