#!@shell@
# shellcheck shell=bash
# cdktf-libvirt-deploy: deploy/main.ts of the installed app (nix/package.nix fills in the @...@ values).
# It synthesizes from the package itself: --app-dir is the installed app, and the synth command is
# the bundled cdktf CLI, unless the caller passes --no-synth or --synth-command. Every other flag is
# deploy's own; see `cdktf-libvirt-deploy --help`.
set -euo pipefail

app=@app@
node=@node@

defaults=(--app-dir "$app")
own_synth=
for arg in "$@"; do
  case $arg in
    --no-synth | --synth-command | --synth-command=*) own_synth=1 ;;
    --) break ;;
  esac
done
if [ -z "$own_synth" ]; then
  defaults+=(--synth-command "$app/node_modules/.bin/cdktf synth --output {synthDir}")
fi

# `cdktf synth` runs the app as `node dist/main.js` (cdktf.json), so node must be on PATH
PATH="$(dirname "$node")${PATH:+:$PATH}"
export PATH
export CHECKPOINT_DISABLE="${CHECKPOINT_DISABLE:-1}"
# otherwise the cdktf CLI creates ~/.terraform.d/plugin-cache on start, and fails where HOME is read-only
export CDKTF_DISABLE_PLUGIN_CACHE_ENV="${CDKTF_DISABLE_PLUGIN_CACHE_ENV:-1}"

exec "$node" "$app/dist/deploy/main.js" "${defaults[@]}" "$@"
