#!/bin/sh
# Installs the agtop binary for this machine from a GitHub release, verifying its SHA-256.
#
#   curl -fsSL https://raw.githubusercontent.com/agtop/agtop/main/install.sh | sh
#   sh install.sh [--dir DIR] [--version X.Y.Z]
#
# Environment: AGTOP_INSTALL_DIR (default ~/.local/bin), AGTOP_VERSION (default: latest),
# AGTOP_REPO (default agtop/agtop), AGTOP_BASE_URL (a release directory URL; file:// works, for tests).
set -eu

repo="${AGTOP_REPO:-agtop/agtop}"
dir="${AGTOP_INSTALL_DIR:-$HOME/.local/bin}"
version="${AGTOP_VERSION:-latest}"

while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --dir=*) dir="${1#--dir=}"; shift ;;
    --version) version="$2"; shift 2 ;;
    --version=*) version="${1#--version=}"; shift ;;
    -h|--help) sed -n '2,9p' "$0" 2>/dev/null || true; exit 0 ;;
    *) echo "install.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

fail() { echo "install.sh: $*" >&2; exit 1; }

os="${AGTOP_UNAME_S:-$(uname -s)}"
arch="${AGTOP_UNAME_M:-$(uname -m)}"
case "$os" in
  Linux) os_part="unknown-linux-gnu" ;;
  Darwin) os_part="apple-darwin" ;;
  *) fail "no agtop binary for OS '$os' (Linux and macOS are supported; on Windows download the .exe from the release page)" ;;
esac
case "$arch" in
  x86_64|amd64) arch_part="x86_64" ;;
  aarch64|arm64) arch_part="aarch64" ;;
  *) fail "no agtop binary for CPU '$arch' on $os (x86_64 and aarch64 are supported)" ;;
esac
triple="$arch_part-$os_part"

if [ -n "${AGTOP_BASE_URL:-}" ]; then
  base="$AGTOP_BASE_URL"
elif [ "$version" = "latest" ]; then
  base="https://github.com/$repo/releases/latest/download"
else
  base="https://github.com/$repo/releases/download/v${version#v}"
fi

fetch() {
  if command -v curl >/dev/null 2>&1; then curl -fsSL "$1" -o "$2"
  elif command -v wget >/dev/null 2>&1; then wget -q "$1" -O "$2"
  else fail "need curl or wget"; fi
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  else fail "need sha256sum or shasum to verify the download"; fi
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT INT TERM

fetch "$base/SHA256SUMS" "$tmp/SHA256SUMS" || fail "could not download $base/SHA256SUMS"
asset="$(awk -v t="$triple" '{ n = $2; sub(/^\*/, "", n) } n ~ ("^agtop-.*-" t "$") { print n; exit }' "$tmp/SHA256SUMS")"
[ -n "$asset" ] || fail "the release has no binary for $triple"
want="$(awk -v a="$asset" '{ n = $2; sub(/^\*/, "", n) } n == a { print $1; exit }' "$tmp/SHA256SUMS")"

fetch "$base/$asset" "$tmp/$asset" || fail "could not download $base/$asset"
got="$(sha256 "$tmp/$asset")"
[ "$got" = "$want" ] || fail "checksum mismatch for $asset (expected $want, got $got); nothing installed"

mkdir -p "$dir"
chmod 755 "$tmp/$asset"
mv "$tmp/$asset" "$dir/agtop"
echo "installed $asset to $dir/agtop"
case ":$PATH:" in
  *":$dir:"*) ;;
  *) echo "note: $dir is not on your PATH" ;;
esac
