#!@shell@
# shellcheck shell=bash
# cdktf-libvirt-deploy: deploy/main.ts of the installed app (nix/package.nix fills in the @...@ values).
# It synthesizes the package's own app (--app-dir: the installed app, whose cdktf.json runs
# `node dist/main.js`) unless the caller names another --app-dir, --synth-command or --no-synth. Every
# other flag is deploy's own; see `cdktf-libvirt-deploy --help`.
set -euo pipefail

app=@app@
node=@node@

# the app command (cdktf.json's "app") runs node, so node must be on PATH
PATH="$(dirname "$node")${PATH:+:$PATH}"
export PATH
export CHECKPOINT_DISABLE="${CHECKPOINT_DISABLE:-1}"

# a later --app-dir of the caller's wins (deploy takes the last one)
exec "$node" "$app/dist/deploy/main.js" --app-dir "$app" "$@"
