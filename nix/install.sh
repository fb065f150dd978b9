#!/usr/bin/env bash
# Install step of nix/package.nix, run from the built source tree (after `npm run build`).
#
#   install.sh OUT NODE SHELL WRAPPER_TEMPLATE
#
# OUT/lib/node_modules/cdktf-libvirt/ gets what synth and deploy need at run time: dist/ (with its
# relative .gen link), .gen/, node_modules/ (cdktf-cli included: the unit runs `cdktf synth`),
# package.json, cdktf.json and schemas/. OUT/bin/cdktf-libvirt-deploy is the wrapper.
set -euo pipefail

if [ "$#" -ne 4 ]; then
  echo "usage: install.sh OUT NODE SHELL WRAPPER_TEMPLATE" >&2
  exit 2
fi
out=$1
node=$2
shell=$3
wrapper_template=$4

app="$out/lib/node_modules/cdktf-libvirt"
mkdir -p "$app" "$out/bin" "$out/share/doc/cdktf-libvirt"

for entry in dist .gen node_modules package.json package-lock.json cdktf.json schemas; do
  if [ ! -e "$entry" ]; then
    echo "install: $entry is missing; did the build (npm run build, bindings generation) run?" >&2
    exit 1
  fi
  cp -R "$entry" "$app/"
done
# compiled tests and the incremental build cache are of no use at run time
rm -rf "$app/dist/__tests__" "$app/dist/.tsbuildinfo"

if [ ! -e "$app/dist/.gen/providers/libvirt" ]; then
  echo "install: dist/.gen does not lead to the generated bindings" >&2
  exit 1
fi
if [ ! -e "$app/node_modules/.bin/cdktf" ]; then
  echo "install: node_modules/.bin/cdktf is missing; cdktf-cli is needed at run time for cdktf synth" >&2
  exit 1
fi

wrapper=$(<"$wrapper_template")
wrapper=${wrapper//@shell@/$shell}
wrapper=${wrapper//@node@/$node}
wrapper=${wrapper//@app@/$app}
printf '%s\n' "$wrapper" >"$out/bin/cdktf-libvirt-deploy"
chmod 0555 "$out/bin/cdktf-libvirt-deploy"

# the README carries the NixOS documentation the unit's `documentation=` points at
cp README.md "$out/share/doc/cdktf-libvirt/README.md"
