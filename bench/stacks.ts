// The stacks the benchmark synthesizes and the golden test pins, built from the project's public API.
// Keep them deterministic: the golden files under __tests__/bench/golden are their synthesized JSON.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { Construct } from "constructs";
import {
  BaseImage,
  BridgeNetwork,
  Firmware,
  Graphics,
  LibvirtHost,
  LibvirtStack,
  RemovalPolicy,
  Secret,
  Size,
  StoragePool,
  VirtualMachine,
  Volume,
} from "cdktf-libvirt";

/**
 * The fleet of the issue: per VM an overlay volume over one base image, a cloud-init seed and a domain
 * on the host bridge br0.
 */
export class FleetStack extends LibvirtStack {
  constructor(scope: Construct, id: string, vms: number) {
    super(scope, id);
    const host = new LibvirtHost(this, "local");
    const image = new BaseImage(host, "debian", { source: "/var/lib/libvirt/images/debian-12.qcow2" });
    const br0 = BridgeNetwork.fromHostBridge(host, "br0", { bridge: "br0" });
    for (let i = 0; i < vms; i++) {
      new VirtualMachine(host, `vm-${i}`, {
        image,
        memory: Size.mebibytes(2048),
        vcpus: 1,
        systemDiskSize: Size.gibibytes(100),
        interfaces: [{ network: br0 }],
      });
    }
  }
}

/**
 * A representative mixed stack for the golden test: two hosts, a dir pool, bridged and NAT networks,
 * static and DHCP addresses, UEFI, graphics, data disks, cloud-init users with a secret.
 */
export class MixedStack extends LibvirtStack {
  constructor(scope: Construct, id: string, vms: number) {
    super(scope, id);
    const local = new LibvirtHost(this, "local");
    const remote = new LibvirtHost(this, "remote", { uri: "qemu+ssh://admin@hv2.example.net/system" });
    const pool = new StoragePool(local, "vmstore", { path: "/var/lib/libvirt/vmstore" });
    const image = new BaseImage(local, "debian", { source: "https://cloud.debian.org/images/debian-12.qcow2", pool, virtualSize: Size.gibibytes(3) });
    const remoteImage = new BaseImage(remote, "ubuntu", { source: "/srv/images/ubuntu-24.04.img", name: "ubuntu-2404.qcow2" });
    const br0 = BridgeNetwork.fromHostBridge(local, "br0", {
      bridge: "br0",
      subnets: ["192.168.1.0/24", "2001:db8:1::/64"],
      gateway4: "192.168.1.1",
      gateway6: "2001:db8:1::1",
      nameservers: ["192.168.1.1"],
      searchDomains: ["lan.example.net"],
    });
    const lan = BridgeNetwork.bridged(local, "lan", { bridge: "br1" });
    const lab = BridgeNetwork.nat(local, "lab", { subnet: "10.10.10.0/24", dhcpRange: { start: "10.10.10.100", end: "10.10.10.200" }, domain: "lab.internal" });
    const remoteLab = BridgeNetwork.nat(remote, "lab2", { subnet: "10.20.0.0/24" });
    const rootHash = Secret.fromVariable(this, "root_password_hash");
    for (let i = 0; i < vms; i++) {
      const onRemote = i % 5 === 4;
      const host = onRemote ? remote : local;
      const dataDisks =
        i % 3 === 0
          ? [Volume.blank(host, `data-${i}`, { size: Size.gibibytes(10 + i), removalPolicy: i % 2 ? RemovalPolicy.DESTROY : undefined, pool: onRemote ? undefined : pool })]
          : [];
      new VirtualMachine(host, `vm-${i}`, {
        image: onRemote ? remoteImage : image,
        memory: Size.mebibytes(1024 * (1 + (i % 4))),
        vcpus: 1 + (i % 3),
        systemDiskSize: Size.gibibytes(20 + i),
        systemDiskRemovalPolicy: i % 4 === 1 ? RemovalPolicy.DESTROY : undefined,
        dataDisks,
        firmware: i % 2 === 1 ? Firmware.uefi() : undefined,
        graphics: i % 4 === 2 ? Graphics.vnc() : i % 4 === 3 ? Graphics.spice({ listen: "0.0.0.0" }) : undefined,
        guestAgent: i % 6 !== 5,
        waitForAddress: i % 3 === 1,
        autostart: i % 7 !== 6,
        shutdownTimeoutSeconds: 60 + i,
        interfaces: onRemote
          ? [{ network: remoteLab, addresses: [`10.20.0.${10 + i}/24`], gateway4: "10.20.0.1" }]
          : [
              i % 2 === 0 ? { network: br0, addresses: [`192.168.1.${50 + i}/24`, `2001:db8:1::${50 + i}/64`] } : { network: br0 },
              ...(i % 3 === 2 ? [{ network: lab }, { network: lan, mac: `52:54:00:aa:bb:${(16 + i).toString(16)}` }] : []),
            ],
        cloudInit:
          i % 2 === 0
            ? {
                users: [
                  { name: "admin", sshAuthorizedKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests admin@laptop"], sudo: true, groups: ["wheel"], shell: "/bin/bash" },
                  { name: "ops", passwordHash: i % 4 === 0 ? rootHash : "$6$salt$hash", sshAuthorizedKeys: [] },
                ],
                packages: ["htop", "curl"],
                runcmd: ["echo ${HOME} %{x}", ["touch", "/root/ready"]],
                timezone: "Europe/Berlin",
                fqdn: `vm-${i}.lan.example.net`,
              }
            : undefined,
      });
    }
  }
}

export type StackKind = "fleet" | "mixed";

/**
 * Builds a stack `id` in a fresh App, synthesizes it into a temporary directory and returns its
 * cdk.tf.json verbatim, except that the working directory (should cdktf write it into a local backend's
 * state path) is replaced by "<cwd>" so the result does not depend on where the repository lives.
 */
export function synthJson(id: string, build: (app: App, id: string) => void): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-libvirt-synth-"));
  try {
    const app = new App({ outdir });
    build(app, id);
    app.synth();
    return fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8").split(process.cwd()).join("<cwd>");
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** synthJson of the stack `<kind>-<vms>` (a FleetStack or MixedStack unless `build` says otherwise). */
export function synthStackJson(kind: StackKind, vms: number, build?: (app: App, id: string) => void): string {
  return synthJson(`${kind}-${vms}`, build ?? ((app, id) => (kind === "fleet" ? new FleetStack(app, id, vms) : new MixedStack(app, id, vms))));
}

/** The stacks pinned by golden files (see bench/golden.ts). */
export const GOLDEN_STACKS: readonly { kind: StackKind; vms: number }[] = [
  { kind: "fleet", vms: 10 },
  { kind: "mixed", vms: 10 },
];
