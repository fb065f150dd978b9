import { createHash } from "crypto";

/** An RFC 1123 label: what libvirt names, hostnames and the spec's keys must be. */
export const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why `name` is not an RFC 1123 host label (lowercase letters, digits, inner hyphens, 1-63 chars), or undefined. */
export function hostLabelProblem(name: string): string | undefined {
  if (HOST_LABEL.test(name)) return undefined;
  return `"${name}" is not a valid RFC 1123 label: use 1-63 lowercase letters, digits and inner hyphens`;
}

/** Why `fqdn` is not an RFC 1123 host name (dot-separated labels, at most 253 characters), or undefined. */
export function hostNameProblem(fqdn: string): string | undefined {
  if (fqdn.length > 253 || fqdn.split(".").some((label) => !HOST_LABEL.test(label))) {
    return `"${fqdn}" is not a valid RFC 1123 host name: dot-separated labels of lowercase letters, digits and inner hyphens, at most 253 characters`;
  }
  return undefined;
}

const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;

/** Why `mac` is not a lowercase, colon-separated unicast MAC, or undefined. libvirt reports MACs lowercase. */
export function macProblem(mac: string): string | undefined {
  if (!MAC.test(mac)) return `"${mac}" is not a MAC address like 52:54:00:12:34:56 (lowercase hex, colons)`;
  if (parseInt(mac.slice(0, 2), 16) & 1) return `"${mac}" is a multicast address; a NIC needs a unicast MAC`;
  if (mac === "00:00:00:00:00:00") return `"${mac}" is the all-zero address, which no NIC may have`;
  return undefined;
}

/**
 * A MAC in QEMU's locally administered 52:54:00 range, derived from `seed` (host, VM and NIC), so it
 * survives every rebuild: the provider redefines the domain on each update, and without a fixed MAC
 * libvirt would invent a new one (and DHCP a new address) each time.
 */
export function derivedMac(seed: string): string {
  const digest = createHash("sha256").update(seed).digest();
  return ["52", "54", "00", ...[0, 1, 2].map((i) => digest[i].toString(16).padStart(2, "0"))].join(":");
}

/** The MAC `offset` after `mac` (48-bit, wrapping), in the same lowercase, colon-separated form. */
export function macPlus(mac: string, offset: number): string {
  const value = (BigInt(`0x${mac.replace(/:/g, "")}`) + BigInt(offset)) % 2n ** 48n;
  return value.toString(16).padStart(12, "0").match(/../g)!.join(":");
}

/**
 * The next MAC in `mac`'s 24-bit block (its first three octets kept, the rest wrapping), where a derived
 * MAC moves when another NIC on the hypervisor has it.
 */
export function nextInBlock(mac: string): string {
  const low = (parseInt(mac.slice(9).replace(/:/g, ""), 16) + 1) % 2 ** 24;
  return `${mac.slice(0, 9)}${low.toString(16).padStart(6, "0").match(/../g)!.join(":")}`;
}

/** Linux limits interface names to 15 characters (IFNAMSIZ - 1). */
export function bridgeNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 15) return `"${name}" must be 1-15 characters long (Linux interface name limit)`;
  if (/[\s/:]/.test(name)) return `"${name}" must not contain whitespace, "/" or ":"`;
  return undefined;
}
