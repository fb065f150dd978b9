import { Construct } from "constructs";
import {
  BaseImage,
  BridgeNetwork,
  Firmware,
  Graphics,
  LibvirtHost,
  LibvirtStack,
  Size,
  StoragePool,
  VirtualMachine,
  VirtualMachineGroup,
  Volume,
} from "cdktf-libvirt";

const OPS_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGm9aVQUR8s3mpnb0q6JDyrQ1u4uCKYxxPrNM3ZJxFgK ops@lab";

/** A larger example: a dedicated pool, a LAN with static addresses, a UEFI database VM with a data disk, and a web group. */
export class LabStack extends LibvirtStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const host = new LibvirtHost(this, "kvm1", { uri: "qemu+ssh://deploy@kvm1.lan/system?keyfile=/var/lib/cdktf-libvirt/id_ed25519" });
    const pool = new StoragePool(host, "vmstore", { path: "/var/lib/libvirt/vmstore" });
    const debian = new BaseImage(host, "debian-12", {
      source: "/srv/images/debian-12-genericcloud-amd64-20250101.qcow2",
      name: "debian-12-20250101.qcow2",
      pool,
      virtualSize: Size.gibibytes(2),
    });
    const lan = BridgeNetwork.fromHostBridge(host, "lan", {
      bridge: "br0",
      subnets: ["192.168.10.0/24"],
      gateway4: "192.168.10.1",
      nameservers: ["192.168.10.1"],
      searchDomains: ["lab.example.org"],
    });
    const users = [{ name: "ops", sshAuthorizedKeys: [OPS_KEY], sudo: true }];

    const db = new VirtualMachine(host, "db", {
      image: debian,
      memory: Size.gibibytes(8),
      vcpus: 4,
      systemDiskSize: Size.gibibytes(40),
      firmware: Firmware.uefi(),
      graphics: Graphics.vnc(),
      interfaces: [{ network: lan, addresses: ["192.168.10.20/24"] }],
      cloudInit: { users, packages: ["postgresql"], timezone: "Europe/Berlin", fqdn: "db.lab.example.org" },
    });
    db.addDisk(Volume.blank(db, "data", { size: Size.gibibytes(200), pool, name: "db-data.qcow2" }));

    new VirtualMachineGroup(host, "web", {
      count: 3,
      hostnamePrefix: "web",
      image: debian,
      memory: Size.mebibytes(2048),
      vcpus: 2,
      systemDiskSize: Size.gibibytes(20),
      interfaces: [{ network: lan, addressRange: { start: "192.168.10.100/24", end: "192.168.10.119" } }],
      cloudInit: { users, packages: ["nginx"] },
    });
  }
}
