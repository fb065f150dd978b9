#!/usr/bin/env bash
# Lays out Nix-built Terraform providers as a directory for `tofu init -plugin-dir=DIR`, so init
# contacts no registry.
#
#   plugin-dir.sh OUT SHELL EXTRA_PATH PROVIDER...
#
# A provider package from nixpkgs keeps its binary at
#   PROVIDER/libexec/terraform-providers/<host>/<namespace>/<type>/<version>/<os>_<arch>/terraform-provider-<type>_<version>
# cdktf writes the fully qualified source "registry.terraform.io/dmacvicar/libvirt", while a bare
# "dmacvicar/libvirt" means registry.opentofu.org to tofu; the binary is offered under both hosts.
# Each entry is a small script that puts EXTRA_PATH (the provider's runtime tools) on PATH and execs
# the binary: tofu walks real files, and the script keeps the package's own layout untouched.
set -euo pipefail

if [ "$#" -lt 4 ]; then
  echo "usage: plugin-dir.sh OUT SHELL EXTRA_PATH PROVIDER..." >&2
  exit 2
fi
out=$1
shell=$2
extra_path=$3
shift 3

mkdir -p "$out"
for provider in "$@"; do
  root="$provider/libexec/terraform-providers"
  if [ ! -d "$root" ]; then
    echo "plugin-dir: $provider has no libexec/terraform-providers; is it a provider from pkgs.terraform-providers?" >&2
    exit 1
  fi
  found=0
  while IFS= read -r -d '' file; do
    rel=${file#"$root"/}
    # drop the registry host: <namespace>/<type>/<version>/<os>_<arch>/<binary>
    rest=${rel#*/}
    for host in registry.terraform.io registry.opentofu.org; do
      dest="$out/$host/$rest"
      mkdir -p "$(dirname "$dest")"
      {
        printf '#!%s\n' "$shell"
        if [ -n "$extra_path" ]; then
          # the generated script expands PATH when it runs, not now
          # shellcheck disable=SC2016
          printf 'PATH=%q${PATH:+:$PATH}\nexport PATH\n' "$extra_path"
        fi
        printf 'exec %q "$@"\n' "$file"
      } >"$dest"
      chmod 0555 "$dest"
    done
    found=$((found + 1))
  done < <(find "$root" -type f -perm -u+x -print0)
  if [ "$found" -eq 0 ]; then
    echo "plugin-dir: no provider binary under $root" >&2
    exit 1
  fi
done
