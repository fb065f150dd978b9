#!/usr/bin/env bash
# Makes sure libvirt has a running, autostarted "dir" storage pool NAME at TARGET. Stacks put base
# images and disks without an explicit pool into the pool named "default", which NixOS does not define.
# An existing pool of that name is left as it is (only started and marked autostart).
#
#   default-pool.sh URI NAME TARGET
set -euo pipefail

if [ "$#" -ne 3 ]; then
  echo "usage: default-pool.sh URI NAME TARGET" >&2
  exit 2
fi
uri=$1
name=$2
target=$3

virsh() { command virsh --connect "$uri" --quiet "$@"; }

if ! virsh pool-info "$name" >/dev/null 2>&1; then
  echo "defining storage pool $name at $target"
  virsh pool-define-as "$name" dir --target "$target"
  virsh pool-build "$name"
fi
if ! virsh pool-list --name | grep -qxF -- "$name"; then
  echo "starting storage pool $name"
  virsh pool-start "$name"
fi
virsh pool-autostart "$name" >/dev/null
