import { existsSync, mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, TerraformStack } from "cdktf";
import { BaseImage, BridgeNetwork, LibvirtHost, LibvirtStack, Size, StoragePool, VirtualMachine, VirtualMachineGroup, Volume } from "cdktf-libvirt";
import { errorOf } from "../helpers/synth";

/** Host "a" with an image, a network and a pool; host "b" with nothing yet. */
function twoHosts(stack: TerraformStack) {
  const a = new LibvirtHost(stack, "a");
  const b = new LibvirtHost(stack, "b", { uri: "qemu+ssh://root@kvm2/system" });
  const image = new BaseImage(a, "debian", { source: "/images/debian.qcow2" });
  const lan = BridgeNetwork.fromHostBridge(a, "lan", { bridge: "br0" });
  const pool = new StoragePool(a, "store", { path: "/srv/store" });
  return { a, b, image, lan, pool };
}

describe("a construct of one host used on another is refused with both paths", () => {
  test("an image", () => {
    expect(errorOf((s) => { const { b, image } = twoHosts(s); new VirtualMachine(b, "web", { image }); })).toBe(
      "[test/b/web] image: test/a/debian belongs to host test/a; test/b/web can use only the images of its own host, test/b",
    );
  });

  test("a network", () => {
    expect(
      errorOf((s) => {
        const { b, lan } = twoHosts(s);
        const image = new BaseImage(b, "debian", { source: "/images/debian.qcow2" });
        new VirtualMachine(b, "web", { image, interfaces: [{ network: lan }] });
      }),
    ).toBe("[test/b/web] interfaces[0].network: test/a/lan belongs to host test/a; test/b/web can use only the networks of its own host, test/b");
  });

  test("a data disk", () => {
    expect(
      errorOf((s) => {
        const { a, b } = twoHosts(s);
        const image = new BaseImage(b, "debian", { source: "/images/debian.qcow2" });
        const vm = new VirtualMachine(b, "web", { image });
        vm.addDisk(Volume.blank(a, "data", { size: Size.gibibytes(1) }));
      }),
    ).toBe("[test/b/web] dataDisks[0]: test/a/data belongs to host test/a; test/b/web can use only the disks of its own host, test/b");
  });

  test("a system disk", () => {
    expect(
      errorOf((s) => {
        const { a, b, image } = twoHosts(s);
        new VirtualMachine(b, "web", { systemDisk: Volume.fromBaseImage(a, "sys", { image, size: Size.gibibytes(20) }) });
      }),
    ).toBe("[test/b/web] systemDisk: test/a/sys belongs to host test/a; test/b/web can use only the disks of its own host, test/b");
  });

  test("a pool", () => {
    expect(
      errorOf((s) => {
        const { b, pool } = twoHosts(s);
        new BaseImage(b, "debian", { source: "/images/debian.qcow2", pool });
      }),
    ).toBe("[test/b/debian] pool: test/a/store belongs to host test/a; test/b/debian can use only the pools of its own host, test/b");
  });

  test("an overlay of another host's image", () => {
    expect(errorOf((s) => { const { b, image } = twoHosts(s); Volume.fromBaseImage(b, "sys", { image, size: Size.gibibytes(20) }); })).toBe(
      "[test/b/sys] image: test/a/debian belongs to host test/a; test/b/sys can use only the images of its own host, test/b",
    );
  });

  test("a group's network", () => {
    expect(
      errorOf((s) => {
        const { b, lan } = twoHosts(s);
        const image = new BaseImage(b, "debian", { source: "/images/debian.qcow2" });
        new VirtualMachineGroup(b, "web", { image, count: 2, hostnamePrefix: "web", interfaces: [{ network: lan }] });
      }),
    ).toBe("[test/b/web] interfaces[0].network: test/a/lan belongs to host test/a; test/b/web can use only the networks of its own host, test/b");
  });
});

describe("a missing network is a typed error naming the host's networks", () => {
  test("a mistyped lookup (undefined)", () => {
    const networks: Record<string, BridgeNetwork> = {};
    expect(
      errorOf((s) => {
        const { a, image, lan } = twoHosts(s);
        networks.lan = lan;
        new VirtualMachine(a, "web", { image, interfaces: [{ network: networks.lna }] });
      }),
    ).toBe("[test/a/web] interfaces[0].network: missing; the networks of host test/a: test/a/lan");
  });

  test("something that is not a network", () => {
    expect(
      errorOf((s) => {
        const { a, image } = twoHosts(s);
        new VirtualMachine(a, "web", { image, interfaces: [{ network: "lan" as unknown as BridgeNetwork }] });
      }),
    ).toBe("[test/a/web] interfaces[0].network: not a BridgeNetwork; the networks of host test/a: test/a/lan");
  });

  test("a group's, on a host without networks", () => {
    expect(
      errorOf((s) => {
        const { b } = twoHosts(s);
        const image = new BaseImage(b, "debian", { source: "/images/debian.qcow2" });
        new VirtualMachineGroup(b, "web", { image, count: 2, hostnamePrefix: "web", interfaces: [{ network: undefined as unknown as BridgeNetwork }] });
      }),
    ).toBe("[test/b/web] interfaces[0].network: missing; the networks of host test/b: none");
  });

  test("a missing data disk", () => {
    expect(
      errorOf((s) => {
        const { a, image } = twoHosts(s);
        new VirtualMachine(a, "web", { image }).addDisk(undefined as unknown as Volume);
      }),
    ).toBe("[test/a/web] dataDisks[0]: missing; the disks of host test/a: test/a/web/SystemDisk");
  });
});

describe("app.synth() writes nothing when any stack fails validation", () => {
  test("the second stack's duplicate MAC leaves the first stack unwritten", () => {
    const outdir = mkdtempSync(join(tmpdir(), "app-synth-"));
    const app = new App({ outdir });
    for (const name of ["first", "second"]) {
      const host = new LibvirtHost(new LibvirtStack(app, name), "local", { uri: `qemu+ssh://root@${name}/system` });
      const image = new BaseImage(host, "debian", { source: "/images/debian.qcow2" });
      const lan = BridgeNetwork.fromHostBridge(host, "lan", { bridge: "br0" });
      const mac = name === "second" ? "52:54:00:00:00:01" : undefined;
      new VirtualMachine(host, "a", { image, interfaces: [{ network: lan, mac }] });
      new VirtualMachine(host, "b", { image, interfaces: [{ network: lan, mac }] });
    }
    expect(() => app.synth()).toThrow('[second/local/b] interfaces[0].mac: MAC "52:54:00:00:00:01" is already used by second/local/a');
    expect(existsSync(join(outdir, "stacks/first"))).toBe(false);
  });
});
