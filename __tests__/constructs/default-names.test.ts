// Names libvirt sees, when none is given, come from the construct path below the host: unique on the host
// as construct paths are, bounded in length, and the same on every synth.
import { Construct } from "constructs";
import { BaseImage, BridgeNetwork, LibvirtHost, Size, StoragePool, VirtualMachine, Volume } from "cdktf-libvirt";
import { errorOf, resources, synth } from "../helpers/synth";

/** A user's own construct: two VMs, each with a data disk made the natural way. */
class WebPair extends Construct {
  constructor(scope: Construct, id: string, image: BaseImage, lan: BridgeNetwork) {
    super(scope, id);
    for (const name of ["a", "b"]) {
      const vm = new VirtualMachine(this, name, { image, interfaces: [{ network: lan }] });
      vm.addDisk(Volume.blank(vm, "data", { size: Size.gibibytes(10) }));
    }
  }
}

function pairs(build: (host: LibvirtHost, image: BaseImage, lan: BridgeNetwork) => void) {
  return synth((s) => {
    const host = new LibvirtHost(s, "local");
    build(host, new BaseImage(host, "img", { source: "/i.qcow2" }), BridgeNetwork.fromHostBridge(host, "lan", { bridge: "br0" }));
  }).tf;
}

describe("default names", () => {
  test("directly on the host, the id; below a user's construct, the path below the host joined with -", () => {
    const tf = pairs((host, image, lan) => {
      new WebPair(host, "blue", image, lan);
      new WebPair(host, "green", image, lan);
      const vm = new VirtualMachine(host, "solo", { image });
      vm.addDisk(Volume.blank(vm, "data", { size: Size.gibibytes(1) }));
    });
    const domains = Object.values(resources(tf, "libvirt_domain")).map((d) => d.name).sort();
    expect(domains).toEqual(["blue-a", "blue-b", "green-a", "green-b", "solo"]);
    const volumes = Object.values(resources(tf, "libvirt_volume")).map((v) => v.name).sort();
    expect(volumes).toEqual(expect.arrayContaining(["blue-a-data.qcow2", "blue-b-data.qcow2", "green-a-data.qcow2", "solo-data.qcow2", "img.qcow2"]));
    expect(resources(tf, "libvirt_cloudinit_disk").local_blue_a_CloudInit_seed.name).toBe("blue-a-seed");
  });

  test("a path too long for a label keeps its start and ends in a hash of the whole path, the same each time", () => {
    const long = "x".repeat(40);
    const name = () => Object.values(resources(pairs((host, image) => new VirtualMachine(new Construct(host, long), long, { image })), "libvirt_domain"))[0].name;
    expect(name()).toMatch(new RegExp(`^${long}-x{13}-[0-9a-f]{8}$`));
    expect(name()).toHaveLength(63);
    expect(name()).toBe(name());
  });

  test("pools and networks too", () => {
    const tf = pairs((host) => {
      const lab = new Construct(host, "lab");
      new StoragePool(lab, "disks", { path: "/srv/lab" });
      BridgeNetwork.nat(lab, "net", { subnet: "10.9.0.0/24", dhcpRange: { start: "10.9.0.10", end: "10.9.0.20" } });
    });
    expect(resources(tf, "libvirt_pool").local_lab_disks.name).toBe("lab-disks");
    expect(resources(tf, "libvirt_network").local_lab_net.name).toBe("lab-net");
  });

  test("a clash of given names is still refused, naming both paths", () => {
    expect(
      errorOf((s) => {
        const host = new LibvirtHost(s, "local");
        const image = new BaseImage(host, "img", { source: "/i.qcow2" });
        const a = new VirtualMachine(host, "a", { image });
        const b = new VirtualMachine(host, "b", { image });
        a.addDisk(Volume.blank(a, "data", { size: Size.gibibytes(1), name: "shared.qcow2" }));
        b.addDisk(Volume.blank(b, "data", { size: Size.gibibytes(1), name: "shared.qcow2" }));
      }),
    ).toBe('[test/local/b/data] name: volume "shared.qcow2" already exists in this pool (test/local/a/data)');
  });
});
