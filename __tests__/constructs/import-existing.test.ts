import { TerraformStack } from "cdktf";
import { BaseImage, BridgeNetwork, LibvirtHost, Size, StoragePool, VirtualMachine, Volume, VolumeFormat } from "cdktf-libvirt";
import { errorOf, resources, synth } from "../helpers/synth";

const DOMAIN_UUID = "4dea22b3-1d52-d8f3-2516-782e98ab3fa0";
const NETWORK_UUID = "7c2e9d14-88a0-4b5f-b1e3-5d6f7a8b9c0d";

/** A hand-made VM "web" on a hand-made NAT network, both adopted, its disks in a hand-made pool used by name. */
function adopted(stack: TerraformStack) {
  const host = new LibvirtHost(stack, "local");
  const pool = StoragePool.fromName(host, "VmsPool", "vms");
  const lab = BridgeNetwork.nat(host, "lab", { subnet: "10.0.0.0/24", dhcpRange: { start: "10.0.0.10", end: "10.0.0.99" }, importUuid: NETWORK_UUID });
  const disk = Volume.existing(host, "webdisk", { path: "/srv/vms/web.qcow2", pool });
  const data = Volume.existing(host, "webdata", { path: "/srv/vms/web-data.raw", pool, format: VolumeFormat.RAW });
  return new VirtualMachine(host, "web", {
    systemDisk: disk,
    dataDisks: [data],
    interfaces: [{ network: lab, mac: "52:54:00:12:34:56" }],
    importUuid: DOMAIN_UUID,
  });
}

describe("adopting existing libvirt objects", () => {
  test("the domain and the network are imported by UUID through import blocks", () => {
    const { tf } = synth(adopted);
    expect(tf.import).toEqual([
      { to: "libvirt_network.local_lab", id: NETWORK_UUID },
      { to: "libvirt_domain.local_web", id: DOMAIN_UUID },
    ]);
  });

  test("existing volumes declare no resource and are attached by pool and name; an adopted domain gets no cloud-init seed", () => {
    const { tf } = synth(adopted);
    expect(resources(tf, "libvirt_volume")).toEqual({});
    expect(resources(tf, "libvirt_cloudinit_disk")).toEqual({});
    expect(resources(tf, "libvirt_domain").local_web.devices.disks).toEqual([
      { source: { volume: { pool: "vms", volume: "web.qcow2" } }, target: { dev: "vda", bus: "virtio" }, driver: { type: "qcow2" } },
      { source: { volume: { pool: "vms", volume: "web-data.raw" } }, target: { dev: "vdb", bus: "virtio" }, driver: { type: "raw" } },
    ]);
  });

  test("an existing volume's path and id are the path given", () => {
    let disk: Volume | undefined;
    synth((s) => {
      disk = Volume.existing(new LibvirtHost(s, "local"), "old", { path: "/var/lib/libvirt/images/old.qcow2" });
    });
    expect([disk!.path, disk!.id, disk!.volumeName, disk!.resource, disk!.size]).toEqual(["/var/lib/libvirt/images/old.qcow2", "/var/lib/libvirt/images/old.qcow2", "old.qcow2", undefined, undefined]);
  });

  test("without importUuid nothing is imported", () => {
    const { tf } = synth((s) => {
      const host = new LibvirtHost(s, "local");
      new StoragePool(host, "vms", { path: "/srv/vms" });
      new VirtualMachine(host, "web", { image: new BaseImage(host, "debian", { source: "/images/debian.qcow2" }) });
    });
    expect(tf.import).toBeUndefined();
  });
});

describe("bad adoptions fail at synth", () => {
  const host = (s: TerraformStack) => new LibvirtHost(s, "local");
  const disk = (h: LibvirtHost) => Volume.existing(h, "disk", { path: "/var/lib/libvirt/images/web.qcow2" });

  test.each(["web", "4dea22b3-1d52-d8f3-2516-782e98ab3fa"])("a domain UUID %j", (uuid) => {
    const message = errorOf((s) => {
      const h = host(s);
      new VirtualMachine(h, "web", { systemDisk: disk(h), importUuid: uuid });
    });
    expect(message).toBe(`[test/local/web] importUuid: "${uuid}" is not a UUID such as 4dea22b3-1d52-d8f3-2516-782e98ab3fa0 (virsh domuuid <name> prints it)`);
  });

  test("a network UUID that is a name", () => {
    expect(errorOf((s) => BridgeNetwork.bridged(host(s), "lan", { bridge: "br0", importUuid: "lan" }))).toBe(
      '[test/local/lan] importUuid: "lan" is not a UUID such as 4dea22b3-1d52-d8f3-2516-782e98ab3fa0 (virsh net-uuid <name> prints it)',
    );
  });

  test("an adopted domain takes no image and no cloud-init", () => {
    const message = errorOf((s) => {
      const h = host(s);
      new VirtualMachine(h, "web", { image: new BaseImage(h, "debian", { source: "/images/debian.qcow2" }), cloudInit: { packages: ["htop"] }, importUuid: DOMAIN_UUID });
    });
    expect(message).toBe(
      [
        "[test/local/web] image: an adopted domain keeps its disks: give them as systemDisk (Volume.existing), not an image to create one from",
        "[test/local/web] cloudInit: an adopted domain's guest is installed already; cloud-init user-data is not given to it",
      ].join("\n"),
    );
  });

  test("two VMs adopting one domain", () => {
    const message = errorOf((s) => {
      const h = host(s);
      new VirtualMachine(h, "a", { systemDisk: Volume.existing(h, "da", { path: "/i/a.qcow2" }), importUuid: DOMAIN_UUID });
      new VirtualMachine(h, "b", { systemDisk: Volume.existing(h, "db", { path: "/i/b.qcow2" }), importUuid: DOMAIN_UUID.toUpperCase() });
    });
    expect(message).toBe(`[test/local/b] importUuid: domain UUID "${DOMAIN_UUID}" is already used by test/local/a`);
  });

  test("an existing volume's path must be absolute and name a file", () => {
    expect(errorOf((s) => Volume.existing(host(s), "disk", { path: "web.qcow2" }))).toBe('[test/local/disk] path: "web.qcow2" must be an absolute path');
    expect(errorOf((s) => Volume.existing(host(s), "disk", { path: "/images/" }))).toBe(
      '[test/local/disk] name: "" must be a file name of letters, digits, ".", "_" and "-"',
    );
  });

  test("an existing volume is claimed like any other: one name in a pool", () => {
    expect(
      errorOf((s) => {
        const h = host(s);
        Volume.existing(h, "a", { path: "/var/lib/libvirt/images/web.qcow2" });
        Volume.blank(h, "b", { size: Size.gibibytes(1), name: "web.qcow2" });
      }),
    ).toBe('[test/local/b] name: volume "web.qcow2" already exists in this pool (test/local/a)');
  });
});
