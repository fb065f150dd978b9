#!/usr/bin/env bash
# npm run test:cdktn: the whole test suite on cdktn, the maintained fork of cdktf, installed under the
# name cdktf (how an app on cdktn uses this library), and the synthesized JSON of the default stack and
# of a 10-VM fleet compared with cdktf's: identical apart from the framework's version string.
# Works in a scratch copy of the repository, so the checkout keeps cdktf.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cdktn=${CDKTF_LIBVIRT_CDKTN_VERSION:-0.24.0}
# cdktn wants constructs >= 10.6
constructs=${CDKTF_LIBVIRT_CDKTN_CONSTRUCTS:-10.7.0}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

synth_both() {
  # $1: output dir; the default stack and a 10-VM fleet, written by the built app
  node dist/main.js >/dev/null
  mkdir -p "$1"
  cp cdktf.out/stacks/testvm/cdk.tf.json "$1/testvm.json"
  CDKTF_OUTDIR="$1/fleet" BENCH_KIND=fleet BENCH_VMS=10 node -r ts-node/register/transpile-only bench/app.ts >/dev/null
}

npm run --silent build
CDKTF_OUTDIR=cdktf.out synth_both "$work/cdktf"

# a copy of the checkout with its node_modules, where cdktn replaces cdktf
echo "test:cdktn: copying the checkout" >&2
mkdir "$work/repo"
tar -C "$root" --exclude=./.git --exclude=./cdktf.out --exclude=./bench/work -cf - . | tar -C "$work/repo" -xf -
cd "$work/repo"
npm install --no-save --no-audit --no-fund --legacy-peer-deps "cdktf@npm:cdktn@$cdktn" "constructs@$constructs" >/dev/null
# shellcheck disable=SC2016 # JavaScript, not shell
node -e 'const p = require("cdktf/package.json"); if (p.name !== "cdktn") process.exit(1); console.error(`test:cdktn: cdktf is ${p.name} ${p.version}, constructs ${require("constructs/package.json").version}`)'

npx jest
npm run --silent build
CDKTF_OUTDIR=cdktf.out synth_both "$work/cdktn"

for f in testvm.json fleet/stacks/fleet-10/cdk.tf.json; do
  for side in cdktf cdktn; do
    [ -s "$work/$side/$f" ] || { echo "test:cdktn: $side wrote no $f" >&2; exit 1; }
  done
  if ! diff <(sed "s/\"version\": \"$cdktn\"/\"version\": \"FRAMEWORK\"/" "$work/cdktn/$f") \
            <(sed 's/"version": "0\.21\.0"/"version": "FRAMEWORK"/' "$work/cdktf/$f") >&2; then
    echo "test:cdktn: $f differs between cdktn and cdktf beyond the version string" >&2
    exit 1
  fi
done
echo "test:cdktn: the suite passes on cdktn $cdktn, and its JSON is cdktf's apart from the version" >&2
