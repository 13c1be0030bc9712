#!/usr/bin/env bash
# Installs the atmos binary for this machine from a release directory: downloads
# <url>/atmos-<os>-<arch>[.exe] and <url>/SHA256SUMS (as `deno task compile` writes them),
# verifies the SHA-256, and installs it as <dir>/atmos (default ~/.local/bin). A checksum that
# does not match, or a binary missing from SHA256SUMS, installs nothing.
#
# Usage: scripts/install.sh --url <release dir URL> [--dir <install dir>]
#        ATMOS_RELEASE_URL=<release dir URL> scripts/install.sh
# Without a binary: run atmos with Deno instead (see README, "Install").
set -euo pipefail

usage() {
  echo "usage: install.sh --url <release dir URL> [--dir <install dir>] (or set ATMOS_RELEASE_URL)" >&2
  exit 2
}
fail() {
  echo "install.sh: $1" >&2
  exit "${2:-1}"
}

url="${ATMOS_RELEASE_URL:-}"
dir="${HOME:-}/.local/bin"
while [ $# -gt 0 ]; do
  case "$1" in
    --url) [ $# -ge 2 ] || usage; url="$2"; shift 2 ;;
    --url=*) url="${1#--url=}"; shift ;;
    --dir) [ $# -ge 2 ] || usage; dir="$2"; shift 2 ;;
    --dir=*) dir="${1#--dir=}"; shift ;;
    -h | --help) usage ;;
    *) echo "install.sh: unknown argument \"$1\"" >&2; usage ;;
  esac
done
[ -n "$url" ] || fail "no release URL: pass --url <release dir URL> or set ATMOS_RELEASE_URL" 2
url="${url%/}"

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=macos ;;
  MINGW* | MSYS* | CYGWIN*) os=windows ;;
  *) fail "no atmos binary for $(uname -s); run it with Deno instead (see README)" 2 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) fail "no atmos binary for $(uname -m); run it with Deno instead (see README)" 2 ;;
esac
file="atmos-$os-$arch"
target="atmos"
if [ "$os" = windows ]; then file="$file.exe"; target="atmos.exe"; fi

download() { # url, output file
  if command -v curl >/dev/null 2>&1; then
    curl --fail --silent --show-error --location --output "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget --quiet --output-document="$2" "$1"
  else
    fail "curl or wget is needed to download $1" 2
  fi
}
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | awk '{print $1}'
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | awk '{print $1}'
  else
    fail "sha256sum or shasum is needed to verify the download" 2
  fi
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
download "$url/SHA256SUMS" "$tmp/SHA256SUMS" 2>"$tmp/err" ||
  fail "cannot download $url/SHA256SUMS: $(tail -n1 "$tmp/err")"
expected="$(awk -v f="$file" '$2 == f || $2 == "*" f {print $1; exit}' "$tmp/SHA256SUMS")"
[ -n "$expected" ] || fail "$file is not listed in $url/SHA256SUMS (no binary for $os-$arch in this release)"
download "$url/$file" "$tmp/$file" 2>"$tmp/err" ||
  fail "cannot download $url/$file: $(tail -n1 "$tmp/err")"
actual="$(sha256 "$tmp/$file")"
if [ "$actual" != "$expected" ]; then
  fail "checksum mismatch for $file (expected $expected, got $actual); nothing was installed"
fi

mkdir -p "$dir"
chmod 0755 "$tmp/$file"
# Same directory, then rename: a running atmos is never overwritten half-way.
cp "$tmp/$file" "$dir/.$target.tmp.$$"
mv -f "$dir/.$target.tmp.$$" "$dir/$target"
echo "installed $dir/$target ($file, sha256 $actual)"
case ":${PATH:-}:" in
  *":$dir:"*) ;;
  *) echo "note: $dir is not on PATH; add it, e.g. export PATH=\"$dir:\$PATH\"" ;;
esac
