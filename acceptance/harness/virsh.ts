// What libvirt itself says, read with virsh: the ground truth the scenarios compare deploy's work with.
import { URI } from "./lab";
import { attempt, run } from "./run";

export function virsh(...args: string[]): string {
  return run("virsh", ["-q", "-c", URI, ...args]);
}

/** `virsh dominfo` as a map ("State" → "running", "Max memory" → "2097152 KiB", "Autostart" → "enable"). */
export function domInfo(domain: string): Map<string, string> {
  return new Map(
    virsh("dominfo", domain)
      .split("\n")
      .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1].trim(), m[2].trim()]),
  );
}

export function domainExists(domain: string): boolean {
  return attempt("virsh", ["-q", "-c", URI, "dominfo", domain]).code === 0;
}

/** A volume's capacity in bytes, or undefined when the pool has no such volume. */
export function volumeCapacity(volume: string, pool = "default"): number | undefined {
  attempt("virsh", ["-q", "-c", URI, "pool-refresh", pool]);
  const r = attempt("virsh", ["-q", "-c", URI, "vol-info", "--bytes", "--pool", pool, volume]);
  if (r.code !== 0) return undefined;
  const capacity = /^Capacity:\s*(\d+) bytes/m.exec(r.output);
  return capacity ? Number(capacity[1]) : undefined;
}

export function volumePath(volume: string, pool = "default"): string {
  return virsh("vol-path", "--pool", pool, volume).trim();
}

export function domainXml(domain: string, inactive = false): string {
  return virsh("dumpxml", ...(inactive ? ["--inactive"] : []), domain);
}

/**
 * The XML of a small emulated x86_64 domain on br0 as one writes it by hand (1024 MiB, 1 vCPU, q35, a
 * serial console): `disks` and `devices` are its <disk> elements and any further devices.
 */
export function smallDomainXml(name: string, mac: string, disks: readonly string[], devices: readonly string[] = []): string {
  return `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>1024</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type><boot dev='hd'/></os>
  <features><acpi/></features>
  <devices>
${disks.map((disk) => `    ${disk}\n`).join("")}    <interface type='bridge'><source bridge='br0'/><mac address='${mac}'/><model type='virtio'/></interface>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
${devices.map((device) => `    ${device}\n`).join("")}  </devices>
</domain>
`;
}
