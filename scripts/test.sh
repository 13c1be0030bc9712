#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what is missing (Deno 2.9.6 and the
# Node client libraries of tests/clients from the npm registry; the AWS CLI v2, boto3, zsh, fish
# and the Azure CLI from Debian, as root), caches the locked dependencies, runs `deno task check`
# and `deno task test`, and ends with one plain line `N passed, N failed`.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"

# zsh and fish: the completion tests drive the scripts of `atmos completion` in each shell.
# azure-cli (2.45): the emulator's client tests run `az` against its Entra endpoints.
if [ ! -x /usr/bin/aws ] || ! /usr/bin/python3 -c 'import boto3' >/dev/null 2>&1 ||
  [ ! -x /usr/bin/zsh ] || [ ! -x /usr/bin/fish ] || [ ! -x /usr/bin/az ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing awscli, python3-boto3, zsh, fish and azure-cli (Debian)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq awscli python3-boto3 zsh fish azure-cli >&2
  else
    echo "test.sh: /usr/bin/aws, python3-boto3, zsh, fish and az are needed (apt-get install awscli python3-boto3 zsh fish azure-cli)" >&2
    exit 2
  fi
fi
# gcloud is in neither Debian's archive nor npm: it comes with the machine image
# (google-cloud-cli 528). Without it the gcloud client tests fail under CI and say so.
if [ ! -x /usr/bin/gcloud ]; then
  echo "test.sh: /usr/bin/gcloud is missing (google-cloud-cli comes with the machine image); the gcloud client tests will fail" >&2
fi
"$here/ensure_test_clients.sh" || { echo "0 passed, 1 failed"; exit 1; }

deno="$("$here/ensure_deno.sh")" || exit 2
export PATH="$(dirname "$deno"):$PATH"
deno install --frozen >&2 || { echo "0 passed, 1 failed"; exit 1; }

log="$(mktemp)"
failed_checks=0
if ! deno task check >"$log.check" 2>&1; then
  cat "$log.check" >&2
  echo "test.sh: deno task check failed (fmt, lint or type-check)" >&2
  failed_checks=1
fi
deno task test 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
summary="$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^(ok|FAILED) \| [0-9]+ passed' | tail -n1)"
passed="$(echo "$summary" | sed -E 's/.*\| ([0-9]+) passed.*/\1/')"
failed="$(echo "$summary" | sed -E 's/.*\| ([0-9]+) failed.*/\1/')"
if [ -z "$summary" ]; then passed=0; failed=1; fi
failed=$((failed + failed_checks))
rm -f "$log" "$log.check"
echo "${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then exit 1; fi
exit 0
