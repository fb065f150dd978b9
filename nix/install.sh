#!/usr/bin/env bash
# Install step of nix/package.nix, run from the built source tree (after `npm run build`).
#
#   install.sh OUT NODE SHELL WRAPPER_TEMPLATE
#
# OUT/lib/node_modules/cdktf-libvirt/ gets what synth and deploy need at run time: dist/ (the app),
# node_modules/ (pruned of devDependencies by the build; its cdktf-libvirt is a link to the workspace package), the construct library's package.json, compiled lib/ and generated .gen/,
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

library=packages/cdktf-libvirt
for entry in dist node_modules package.json package-lock.json cdktf.json schemas "$library/package.json" "$library/lib" "$library/.gen"; do
  if [ ! -e "$entry" ]; then
    echo "install: $entry is missing; did the build (npm run build, bindings generation) run?" >&2
    exit 1
  fi
  mkdir -p "$app/$(dirname "$entry")"
  cp -R "$entry" "$app/$entry"
done
# compiled tests, the incremental build caches and the bindings' TypeScript sources are of no use at run time
rm -rf "$app/dist/__tests__" "$app/dist/.tsbuildinfo" "$app/$library/lib/.tsbuildinfo"
find "$app/$library/.gen" -name '*.ts' ! -name '*.d.ts' -delete

if [ ! -e "$app/node_modules/cdktf-libvirt/lib/index.js" ]; then
  echo "install: node_modules/cdktf-libvirt does not lead to the compiled construct library" >&2
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
