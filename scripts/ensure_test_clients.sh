#!/usr/bin/env bash
# Installs the npm client libraries the emulator tests run under Node (google-auth-library,
# @azure/identity; pinned in tests/clients/package-lock.json) with `npm ci`, only when
# tests/clients/node_modules is missing or was installed from another lock file, so repeated runs
# cost nothing. The folder has its own package.json, never the project root (a root package.json
# changes how Deno resolves `npm:` imports).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
clients="$(dirname "$here")/tests/clients"
stamp="$clients/node_modules/.atmos-lock.sha256"
want="$(sha256sum "$clients/package-lock.json" | awk '{print $1}')"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "ensure_test_clients: npm is needed to install tests/clients (the machine's Node.js and npm)" >&2
  exit 2
fi
echo "ensure_test_clients: npm ci in tests/clients (google-auth-library, @azure/identity)" >&2
(cd "$clients" && npm ci --no-audit --no-fund --loglevel=error >&2)
echo "$want" > "$stamp"
