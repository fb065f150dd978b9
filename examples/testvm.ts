import { Construct } from "constructs";
import { BaseImage, BridgeNetwork, LibvirtHost, LibvirtStack, Size, VirtualMachine } from "cdktf-libvirt";

/**
 * The setup every user of this project knows: one VM "testvm" with 2048 MiB, 1 vCPU and a 100 GiB
 * system disk, a host on the LAN through the host bridge br0 (DHCP, no NAT), started with the host.
 */
export class TestvmStack extends LibvirtStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const host = new LibvirtHost(this, "local", { uri: "qemu:///system" });
    // a local file, so that applying needs no network (download it once, or let Nix fetch it)
    const debian = new BaseImage(host, "debian-12", {
      source: "/var/lib/libvirt/images/debian-12-genericcloud-amd64.qcow2",
      virtualSize: Size.gibibytes(2),
    });
    const br0 = BridgeNetwork.fromHostBridge(host, "br0", { bridge: "br0" });
    new VirtualMachine(host, "testvm", {
      image: debian,
      memory: Size.mebibytes(2048),
      vcpus: 1,
      systemDiskSize: Size.gibibytes(100),
      interfaces: [{ network: br0 }],
      autostart: true,
    });
  }
}
