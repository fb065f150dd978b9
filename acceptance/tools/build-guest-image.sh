#!/usr/bin/env bash
# Builds the Debian 12 guest image the acceptance tests boot (qcow2, BIOS and UEFI, cloud-init NoCloud,
# qemu-guest-agent) from Debian packages into a cache outside the repository and prints its path; progress
# goes to stderr. The file name carries a hash of this script, so editing the script means a fresh build,
# and an existing image is reused. Runs as root (mmdebstrap's root mode). It installs nothing itself.
# CDKTF_LIBVIRT_DEBIAN_MIRROR and CDKTF_LIBVIRT_DEBIAN_SECURITY_MIRROR point it at a local mirror or proxy.
#
# The disk is put together from files, without loop devices or mounts: mmdebstrap fills a directory,
# mkfs.ext4 -d turns that into the root filesystem, mkfs.vfat + mtools make the EFI system partition, and
# GRUB's images are written at their sectors directly, so nothing needs udev, partition nodes or a host
# that can mount FAT.
set -euo pipefail

# --- hooks: mmdebstrap runs this same file inside its build (see the mmdebstrap call below) -----------

# Before the kernel is installed, so that its postinst builds the small initramfs right away.
essential_hook() {
  local root=$1
  mkdir -p "$root/etc/initramfs-tools/conf.d" "$root/etc/initramfs-tools/hooks"
  # Only the drivers a libvirt guest's root disk and cloud-init seed can sit behind: the default (MODULES=most)
  # is several times larger, and under TCG every extra MiB of initramfs costs boot time.
  # RESUME=none: otherwise the hook may copy the build host's swap device in, and the guest waits for it.
  cat >"$root/etc/initramfs-tools/conf.d/cdktf-libvirt.conf" <<'EOF'
MODULES=list
RESUME=none
COMPRESS=zstd
EOF
  # The SATA CD-ROM (ahci, sr_mod) is probed in the initramfs too, so /dev/sr0 exists by the time
  # cloud-init's local stage looks for the "cidata" seed.
  cat >"$root/etc/initramfs-tools/hooks/cdktf-libvirt" <<'EOF'
#!/bin/sh
[ "$1" = prereqs ] && exit 0
. /usr/share/initramfs-tools/hook-functions
manual_add_modules virtio_pci virtio_blk virtio_scsi sd_mod sr_mod ahci ata_piix nvme ext4 crc32c_generic
EOF
  chmod 0755 "$root/etc/initramfs-tools/hooks/cdktf-libvirt"
}

customize_hook() {
  local root=$1
  # cloud-init: only the seed ISO (no probing of cloud metadata services, which under TCG costs
  # minutes of timeouts) and network config rendered for systemd-networkd (there is no ifupdown).
  cat >"$root/etc/cloud/cloud.cfg.d/99-cdktf-libvirt.cfg" <<'EOF'
datasource_list: [ NoCloud, None ]
system_info:
  network:
    renderers: [ networkd ]
    activators: [ networkd ]
# Under TCG generating an RSA-3072 host key costs over 10 s of boot; DSA is obsolete.
ssh_genkeytypes: [ ed25519, ecdsa ]
# Only meaningful with the grub-pc package managing the MBR, which this image does not have.
grub_dpkg:
  enabled: false
EOF
  chroot "$root" systemctl enable systemd-networkd.service systemd-resolved.service
  # Test VMs have no route to the archive, and there is no LVM for e2scrub: these would only burn
  # emulated CPU (e2scrub_reap alone takes over 10 s of the first boot under TCG).
  chroot "$root" systemctl disable apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service

  # The stock unit has default dependencies, i.e. waits for basic.target, and cloud-init's network stage
  # is ordered before sysinit.target and after network-online: the agent would answer only once the
  # network is up. It needs no more than the local filesystems.
  local unit=qemu-guest-agent.service
  local port='dev-virtio\x2dports-org.qemu.guest_agent.0.device'
  mkdir -p "$root/etc/systemd/system/$unit.d" "$root/etc/systemd/system/$port.wants"
  cat >"$root/etc/systemd/system/$unit.d/cdktf-libvirt.conf" <<'EOF'
[Unit]
DefaultDependencies=no
After=local-fs.target
Before=shutdown.target
Conflicts=shutdown.target
EOF
  # The unit is static and started by a udev rule; the wants link starts it on the port without relying
  # on that rule alone.
  ln -sf "/lib/systemd/system/$unit" "$root/etc/systemd/system/$port.wants/$unit"

  # Each VM gets its own identity on first boot: machine-id from systemd (mmdebstrap's cleanup empties
  # /etc/machine-id and removes /var/lib/dbus/machine-id), SSH host keys from cloud-init.
  rm -f "$root"/etc/ssh/ssh_host_*
  # mmdebstrap copies the build host's hostname (with its mode) and resolver in; the guest gets its own
  # from cloud-init and systemd-resolved.
  rm -f "$root/etc/hostname"
  echo localhost >"$root/etc/hostname"
  printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
  ln -sf ../run/systemd/resolve/stub-resolv.conf "$root/etc/resolv.conf"
  # Without a system locale cloud-init's locale module tries to generate en_US.UTF-8 and fails, which
  # leaves `cloud-init status` at "error"; C.UTF-8 needs no generating.
  echo LANG=C.UTF-8 >"$root/etc/default/locale"
  # No password anywhere: root stays locked, access is through the guest agent (or cloud-init's users).
  chroot "$root" usermod --password '*' root

  # Drivers no libvirt guest has hardware for are more than a third of the tree (and of the image): GPUs
  # other than virtual ones, Wi-Fi, Bluetooth, sound, cameras/TV, InfiniBand, sensors, staging.
  local kver
  for kver in "$root"/lib/modules/*; do
    (cd "$kver/kernel" && rm -rf sound drivers/media drivers/net/wireless drivers/bluetooth drivers/infiniband \
      drivers/gpu/drm/amd drivers/gpu/drm/nouveau drivers/gpu/drm/i915 drivers/gpu/drm/radeon \
      drivers/iio drivers/staging drivers/isdn drivers/comedi net/bluetooth net/mac80211 net/wireless)
    chroot "$root" depmod "${kver##*/}"
  done

  printf 'LABEL=root\t/\text4\tdefaults,errors=remount-ro\t0\t1\n' >"$root/etc/fstab"
  # Read by both GRUB images (BIOS and EFI); /vmlinuz and /initrd.img are the kernel package's own symlinks.
  # console=ttyS0 is where libvirt's serial console and the test logs are; quiet keeps the emulated
  # serial port from slowing the boot.
  mkdir -p "$root/boot/grub"
  cat >"$root/boot/grub/grub.cfg" <<'EOF'
set timeout=0
set timeout_style=hidden
if [ "$grub_platform" = pc ]; then
  serial --unit=0 --speed=115200
  terminal_input console serial
  terminal_output console serial
fi
menuentry 'Debian 12' {
  linux /vmlinuz root=LABEL=root ro console=ttyS0,115200n8 quiet
  initrd /initrd.img
}
EOF
  if [ ! -e "$root/vmlinuz" ] || [ ! -e "$root/initrd.img" ]; then
    echo "build-guest-image: no /vmlinuz or /initrd.img in the tree" >&2
    exit 1
  fi
  # UEFI boots Debian's shim and GRUB, both signed (shim by Microsoft's UEFI CA), like Debian itself, so
  # the image boots with secure boot on as well as off (the kernel package is signed too). Only the two
  # files are needed, on the ESP: unpacked from the packages, not installed (their scripts want a mounted ESP).
  mkdir -p "$root/var/tmp/efi"
  # mmdebstrap points APT_CONFIG at the tree's apt: this apt-get reads the tree's sources and lists
  (cd "$root/var/tmp/efi" && apt-get download -qq shim-signed grub-efi-amd64-signed)
  local deb
  for deb in "$root"/var/tmp/efi/*.deb; do dpkg-deb -x "$deb" "$root/var/tmp/efi/x"; done
  mv "$root/var/tmp/efi/x/usr/lib/shim/shimx64.efi.signed" "$root/var/tmp/efi/shimx64.efi"
  mv "$root/var/tmp/efi/x/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed" "$root/var/tmp/efi/grubx64.efi"
  rm -rf "$root/var/tmp/efi/x" "$root"/var/tmp/efi/*.deb
}

case ${1:-} in
  --essential-hook) essential_hook "$2"; exit 0 ;;
  --customize-hook) customize_hook "$2"; exit 0 ;;
esac

# --- main ---------------------------------------------------------------------------------------------

self=$(readlink -f "${BASH_SOURCE[0]}")
cache=${CDKTF_LIBVIRT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdktf-libvirt}
hash=$(sha256sum "$self" | cut -c1-12)
out="$cache/guest/debian-12-$hash.qcow2"
mirror=${CDKTF_LIBVIRT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${CDKTF_LIBVIRT_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

if [ -f "$out" ]; then
  echo "$out"
  exit 0
fi

# mkfs.*, sgdisk live in sbin, which a non-login root shell may not have on PATH.
PATH=$PATH:/usr/sbin:/sbin
missing=()
for need in mmdebstrap:mmdebstrap qemu-img:qemu-utils mkfs.ext4:e2fsprogs mkfs.vfat:dosfstools \
  mmd:mtools mcopy:mtools sgdisk:gdisk grub-mkimage:grub-common flock:util-linux; do
  command -v "${need%%:*}" >/dev/null || missing+=("${need#*:}")
done
[ -f /usr/lib/grub/i386-pc/boot.img ] || missing+=(grub-pc-bin)
if [ ${#missing[@]} -gt 0 ]; then
  echo "build-guest-image: missing tools; install the Debian packages: $(printf '%s\n' "${missing[@]}" | sort -u | paste -sd ' ')" >&2
  exit 2
fi
if [ "$(id -u)" != 0 ]; then
  echo "build-guest-image: must run as root (mmdebstrap's root mode and chroot)" >&2
  exit 2
fi

# mmdebstrap unmounts /proc, /sys, /dev in its tree itself, but not if it was killed: unmount whatever is
# left below $1, deepest first, then delete it without ever crossing into another filesystem.
remove_tree() {
  local m
  awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
    umount -l "$m" || true
  done
  rm -rf --one-file-system "$1"
}

mkdir -p "$cache/guest"
# Two runs at once (parallel test workers) build once: the second waits, then finds the image.
exec 9>"$cache/guest/.lock"
flock 9
if [ -f "$out" ]; then
  echo "$out"
  exit 0
fi
# With the lock held no build is running, so any build tree is left from one killed outright (SIGKILL).
for stale in "$cache"/guest/.build-*; do
  if [ -d "$stale" ]; then remove_tree "$stale"; fi
done

# Same filesystem as the cache, so the final mv is atomic.
work=$(mktemp -d "$cache/guest/.build-XXXXXX")
trap 'remove_tree "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
# Everything below reports on stderr; only the final path goes to the caller's stdout.
exec 3>&1 1>&2

packages=(
  linux-image-amd64 # the cloud kernel has no AHCI driver, and the seed is a SATA CD-ROM on q35
  systemd-sysv udev dbus systemd-resolved
  cloud-init cloud-guest-utils # growpart: the root grows to fill a larger overlay
  qemu-guest-agent openssh-server sudo
  iproute2 iputils-ping netbase ca-certificates
  e2fsprogs util-linux zstd
  grub-pc-bin grub-efi-amd64-bin # GRUB's modules, for tests that install a bootloader in the guest
)
# Documentation and translations are most of a minbase tree's size and no use in a test guest.
dpkg_opts=(
  --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-include=/usr/share/locale/locale.alias'
  --dpkgopt='path-exclude=/usr/share/lintian/*'
)

echo "build-guest-image: building $out (about 2 minutes)"
start=$SECONDS
root="$work/root"
mmdebstrap --mode=root --variant=minbase \
  --include="$(IFS=,; echo "${packages[*]}")" \
  --aptopt='Acquire::Languages "none"' \
  "${dpkg_opts[@]}" \
  --essential-hook="\"$BASH\" \"$self\" --essential-hook \"\$1\"" \
  --customize-hook="\"$BASH\" \"$self\" --customize-hook \"\$1\"" \
  bookworm "$root" \
  "deb $mirror bookworm main" \
  "deb $mirror bookworm-updates main" \
  "deb $security_mirror bookworm-security main"

# Layout in MiB: 1 MiB gap (GPT), BIOS boot partition (GRUB's core.img), ESP, root to the last MiB
# (backup GPT). The root partition is last so cloud-init's growpart can extend it.
disk_mib=4096
bios_start=1 bios_mib=1
esp_start=2 esp_mib=62
root_start=64 root_mib=$((disk_mib - 64 - 1))
sectors() { echo $(($1 * 2048)); }

# The signed EFI binaries the customize hook unpacked belong on the ESP, not in the root filesystem.
efi="$work/efi"
mv "$root/var/tmp/efi" "$efi"

# metadata_csum_seed is an incompatible feature GRUB 2.06 cannot read.
mkfs.ext4 -q -L root -O ^metadata_csum_seed -d "$root" "$work/root.img" "${root_mib}M"

grub_cfg="$work/early.cfg"
# Both GRUB images find the root filesystem by label and read /boot/grub/grub.cfg from it, so the
# kernel command line lives in one place.
cat >"$grub_cfg" <<'EOF'
search --no-floppy --set=root --label root
set prefix=($root)/boot/grub
EOF
# Every command grub.cfg uses is built in: there is no GRUB module directory on the disk.
grub_modules=(part_gpt ext2 search search_label normal linux boot test echo serial terminal)
grub-mkimage -O i386-pc -o "$work/core.img" -c "$grub_cfg" -p /boot/grub biosdisk "${grub_modules[@]}"
# Debian's signed GRUB reads grub.cfg beside itself on the ESP when it finds no /EFI/debian: the same
# search, then the root filesystem's grub.cfg
cp "$grub_cfg" "$work/esp-grub.cfg"
# shellcheck disable=SC2016 # GRUB's variable, not the shell's
echo 'configfile $prefix/grub.cfg' >>"$work/esp-grub.cfg"

export MTOOLS_SKIP_CHECK=1
mkfs.vfat -F 32 -n EFI -h "$(sectors $esp_start)" -C "$work/esp.img" $((esp_mib * 1024)) >/dev/null
mmd -i "$work/esp.img" ::/EFI ::/EFI/BOOT
mcopy -i "$work/esp.img" "$efi/shimx64.efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$work/esp.img" "$efi/grubx64.efi" ::/EFI/BOOT/grubx64.efi
mcopy -i "$work/esp.img" "$work/esp-grub.cfg" ::/EFI/BOOT/grub.cfg

disk="$work/disk.raw"
truncate -s "${disk_mib}M" "$disk"
sgdisk \
  --new=1:"$(sectors $bios_start)":$(($(sectors $((bios_start + bios_mib))) - 1)) --typecode=1:ef02 --change-name=1:bios \
  --new=2:"$(sectors $esp_start)":$(($(sectors $((esp_start + esp_mib))) - 1)) --typecode=2:ef00 --change-name=2:esp \
  --new=3:"$(sectors $root_start)":$(($(sectors $((root_start + root_mib))) - 1)) --typecode=3:8304 --change-name=3:root \
  "$disk"
dd if="$work/esp.img" of="$disk" bs=1M seek=$esp_start conv=notrunc,sparse status=none
dd if="$work/root.img" of="$disk" bs=1M seek=$root_start conv=notrunc,sparse status=none

# BIOS boot, done by hand the way grub-bios-setup does it (which wants a block device and udev): the MBR
# code (boot.img) loads the first sector of core.img, whose block list loads the rest of it.
le64() { # little-endian 8-byte integer, for printf %b
  local i
  for i in 0 1 2 3 4 5 6 7; do printf '\\x%02x' $((($1 >> (8 * i)) & 255)); done
}
write_at() { # file, decimal byte offset, bytes as printf %b escapes
  printf '%b' "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
bytes() { od -A n -t x1 -j "$2" -N "$3" "$1" | tr -d ' \n'; }
core_sector=$(sectors $bios_start)
if [ "$(stat -c %s "$work/core.img")" -gt $((bios_mib * 1024 * 1024)) ]; then
  echo "build-guest-image: core.img does not fit the BIOS boot partition" >&2
  exit 1
fi
cp /usr/lib/grub/i386-pc/boot.img "$work/boot.img"
# Refuse a GRUB whose images are laid out differently from what the offsets below assume.
if [ "$(bytes "$work/boot.img" 100 4)" != fffaeb05 ] || [ "$(bytes "$work/core.img" 510 2)" != 2008 ]; then
  echo "build-guest-image: unexpected GRUB boot.img/diskboot.img layout" >&2
  exit 1
fi
write_at "$work/core.img" 500 "$(le64 $((core_sector + 1)))" # block list: the rest of core.img follows sector 0
write_at "$work/boot.img" 92 "$(le64 "$core_sector")"     # 0x5c: where core.img starts
write_at "$work/boot.img" 102 '\x90\x90'                 # 0x66: hard disk, so fix up a bogus BIOS drive number
dd if="$work/core.img" of="$disk" bs=512 seek="$core_sector" conv=notrunc status=none
# only the code: bytes 440.. hold the disk signature and the protective MBR written by sgdisk
dd if="$work/boot.img" of="$disk" bs=440 count=1 conv=notrunc status=none

qemu-img convert -f raw -O qcow2 -c "$disk" "$work/image.qcow2"
mv "$work/image.qcow2" "$out"
echo "build-guest-image: done in $((SECONDS - start)) s, $(du -m "$out" | cut -f1) MiB"
echo "$out" >&3
