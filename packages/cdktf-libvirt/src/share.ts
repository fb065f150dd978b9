import { literal } from "./literal";

/** How a host directory reaches the guest. */
export enum ShareDriver {
  /**
   * virtio-fs: fast and POSIX-faithful. libvirt runs a virtiofsd per share (on NixOS:
   * `virtualisation.libvirtd.qemu.vhostUserPackages = [ pkgs.virtiofsd ]`), and the guest's memory is
   * shared with it, which the VM sets up itself. The libvirt 9 of Debian 12 cannot export read-only.
   */
  VIRTIOFS = "virtiofs",
  /** 9p (virtio-9p): built into QEMU, needs nothing on the host, slower; read-only works everywhere. */
  NINE_P = "9p",
}

/** A directory of the hypervisor that the guest mounts. */
export interface ShareOptions {
  /** Absolute path of the directory on the hypervisor. */
  readonly hostPath: string;
  /** The name the guest mounts it by (`mount -t virtiofs <tag> /mnt`): letters, digits, `.`, `_`, `-`, at most 36. */
  readonly tag: string;
  /** @default ShareDriver.VIRTIOFS */
  readonly driver?: ShareDriver;
  /** The guest cannot write to it. @default false */
  readonly readOnly?: boolean;
  /** Where cloud-init mounts it on first boot (an fstab entry with `nofail`, so later boots mount it too). @default - not mounted */
  readonly mountPoint?: string;
}

const TAG = /^[A-Za-z0-9._-]{1,36}$/;
const ABSOLUTE_PATH = /^\/[^\s]*$/;

/** What is wrong with `share`, as [field, message] pairs under `field`. */
export function shareProblems(share: ShareOptions, field: string): [string, string][] {
  const problems: [string, string][] = [];
  const driver = share.driver ?? ShareDriver.VIRTIOFS;
  if (!ABSOLUTE_PATH.test(share.hostPath)) problems.push([`${field}.hostPath`, `"${share.hostPath}" must be an absolute path without whitespace`]);
  if (!TAG.test(share.tag)) problems.push([`${field}.tag`, `"${share.tag}" must be 1-36 letters, digits, ".", "_" or "-"`]);
  if (!Object.values(ShareDriver).includes(driver)) problems.push([`${field}.driver`, `must be one of ${Object.values(ShareDriver).join(", ")} (got ${driver})`]);
  if (driver === ShareDriver.VIRTIOFS && share.readOnly) {
    problems.push([`${field}.readOnly`, "libvirt before 11 cannot export a virtiofs share read-only: use ShareDriver.NINE_P for a read-only share"]);
  }
  if (share.mountPoint !== undefined && (!ABSOLUTE_PATH.test(share.mountPoint) || share.mountPoint === "/")) {
    problems.push([`${field}.mountPoint`, `"${share.mountPoint}" must be an absolute path below / without whitespace`]);
  }
  return problems;
}

/** Tags must be unique within one VM: the guest mounts by tag. */
export function duplicateTagProblems(shares: readonly ShareOptions[], field: string): [string, string][] {
  const seen = new Map<string, number>();
  return shares.flatMap((share, i): [string, string][] => {
    const first = seen.get(share.tag);
    if (first === undefined) {
      seen.set(share.tag, i);
      return [];
    }
    return [[`${field}[${i}].tag`, `"${share.tag}" is already the tag of ${field}[${first}]`]];
  });
}

function isVirtiofs(share: ShareOptions): boolean {
  return (share.driver ?? ShareDriver.VIRTIOFS) === ShareDriver.VIRTIOFS;
}

export function usesVirtiofs(shares: readonly ShareOptions[]): boolean {
  return shares.some(isVirtiofs);
}

/** The share as a libvirt <filesystem> device. */
export function filesystemDevice(share: ShareOptions) {
  const virtiofs = isVirtiofs(share);
  return {
    // virtiofsd runs as root and maps ids itself; 9p "mapped" keeps the guest's owners in xattrs, so a
    // guest root can own files without QEMU (an unprivileged user) needing to
    accessMode: virtiofs ? "passthrough" : "mapped",
    driver: { type: virtiofs ? "virtiofs" : "path" },
    source: { mount: { dir: literal(share.hostPath) } },
    target: { dir: share.tag },
    readOnly: share.readOnly || undefined,
  };
}

/** First-boot commands that add the share to the guest's fstab and mount it. */
export function mountCommands(share: ShareOptions): string[][] {
  if (share.mountPoint === undefined) return [];
  const virtiofs = isVirtiofs(share);
  const type = virtiofs ? "virtiofs" : "9p";
  // 9p over virtio needs its transport named; msize: the default 8 KiB makes it crawl
  const options = [virtiofs ? "defaults" : "trans=virtio,version=9p2000.L,msize=524288", share.readOnly ? "ro" : "rw", "nofail"].join(",");
  return [
    ["mkdir", "-p", share.mountPoint],
    // positional parameters, not interpolation: the values are validated, and never parsed by the shell
    ["sh", "-c", 'printf "%s %s %s %s 0 0\\n" "$1" "$2" "$3" "$4" >> /etc/fstab && mount "$2"', "sh", share.tag, share.mountPoint, type, options],
  ];
}
