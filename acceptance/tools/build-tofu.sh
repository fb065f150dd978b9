#!/usr/bin/env bash
# Builds OpenTofu from its Go module at a pinned release into a cache outside the repository and prints
# the binary's path; a cached build is reused. OpenTofu's go.mod has `replace` directives, which
# `go install pkg@version` refuses, so the build goes through a throwaway wrapper module repeating them.
set -euo pipefail

version=${CDKTF_LIBVIRT_TOFU_VERSION:-1.10.10}
cache=${CDKTF_LIBVIRT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdktf-libvirt}
out="$cache/tofu-$version/tofu"

if [ -x "$out" ]; then
  echo "$out"
  exit 0
fi
command -v go >/dev/null || { echo "build-tofu: go is not on PATH" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
module=github.com/opentofu/opentofu
cd "$work"
go mod init cdktf-libvirt-tofu-build >/dev/null 2>&1
# the release's own replace lines, read from its go.mod as the proxy serves it
mod_file=$(GOFLAGS=-mod=mod go mod download -json "$module@v$version" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')
[ -f "$mod_file" ] || { echo "build-tofu: the Go module proxy did not serve $module@v$version" >&2; exit 1; }
grep '^replace ' "$mod_file" >>go.mod || true
echo "build-tofu: building OpenTofu $version (a few minutes on 2 cores)" >&2
go get -tool "$module/cmd/tofu@v$version" >&2
mkdir -p "$(dirname "$out")"
# dev=no: report the release's own version, not "<version>-dev"
go build -trimpath -ldflags "-s -w -X $module/version.dev=no" -o "$out.partial" "$module/cmd/tofu" >&2
mv "$out.partial" "$out"
echo "$out"
