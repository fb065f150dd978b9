import { TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { BaseImage, BridgeNetwork, LibvirtHost, LibvirtStack, VirtualMachine, VirtualMachineGroup } from "cdktf-libvirt";
import { derivedMac } from "../../packages/cdktf-libvirt/src/names";
import { errorOf, synth } from "../helpers/synth";

function lab(stack: TerraformStack, id = "local") {
  const host = new LibvirtHost(stack, id);
  const image = new BaseImage(host, "debian", { source: "/images/debian.qcow2" });
  const lan = BridgeNetwork.fromHostBridge(host, "lan", { bridge: "br0" });
  return { host, image, lan };
}

/** Two VM names on host "local" whose derived MACs collide (found once, by search; the hash is fixed). */
function collidingNames(): [string, string] {
  const seen = new Map<string, string>();
  for (let i = 0; ; i++) {
    const mac = derivedMac(`local/vm${i}/0`);
    const earlier = seen.get(mac);
    if (earlier !== undefined) return [earlier, `vm${i}`];
    seen.set(mac, `vm${i}`);
  }
}

describe("derived MACs stay unique on a hypervisor", () => {
  const [first, second] = collidingNames();

  test("of two VMs whose hashes collide, the first keeps its MAC and the second takes the next free one", () => {
    const app = Testing.app();
    const { host, image, lan } = lab(new LibvirtStack(app, "test"));
    const a = new VirtualMachine(host, first, { image, interfaces: [{ network: lan }] });
    const b = new VirtualMachine(host, second, { image, interfaces: [{ network: lan }] });
    const mac = derivedMac(`local/${first}/0`);
    expect([a.macAddresses[0], b.macAddresses[0]]).toEqual([mac, `52:54:00:${(parseInt(mac.slice(9).replace(/:/g, ""), 16) + 1).toString(16).padStart(6, "0").match(/../g)!.join(":")}`]);
  });

  test("a VM that collides with none keeps its derived MAC", () => {
    const app = Testing.app();
    const { host, image, lan } = lab(new LibvirtStack(app, "test"));
    new VirtualMachine(host, first, { image, interfaces: [{ network: lan }] });
    new VirtualMachine(host, second, { image, interfaces: [{ network: lan }] });
    const other = new VirtualMachine(host, "other", { image, interfaces: [{ network: lan }] });
    expect(other.macAddresses).toEqual([derivedMac("local/other/0")]);
  });

  test("a derived MAC steps around a MAC given to an earlier VM", () => {
    const app = Testing.app();
    const { host, image, lan } = lab(new LibvirtStack(app, "test"));
    new VirtualMachine(host, "fixed", { image, interfaces: [{ network: lan, mac: derivedMac("local/web/0") }] });
    expect(new VirtualMachine(host, "web", { image, interfaces: [{ network: lan }] }).macAddresses[0]).not.toBe(derivedMac("local/web/0"));
  });

  test("a MAC given to a later VM that equals an earlier derived one is a duplicate", () => {
    expect(
      errorOf((s) => {
        const { host, image, lan } = lab(s);
        new VirtualMachine(host, "web", { image, interfaces: [{ network: lan }] });
        new VirtualMachine(host, "fixed", { image, interfaces: [{ network: lan, mac: derivedMac("local/web/0") }] });
      }),
    ).toContain(`[test/local/fixed] interfaces[0].mac: MAC "${derivedMac("local/web/0")}" is already used by test/local/web`);
  });

  test("10,000 NICs on one hypervisor get 10,000 MACs, and only the colliding ones move", () => {
    const host = new LibvirtHost(new LibvirtStack(Testing.app(), "test"), "local");
    const seeds = Array.from({ length: 10_000 }, (_, n) => `local/web-${n}/0`);
    // what VMs of a group of 10,000 ask for; the hash alone gives some MACs twice
    const macs = seeds.map((seed, n) => host._derivedMac(new Construct(host, `vm${n}`), seed, "interfaces[0].mac"));
    const natural = seeds.map((seed) => derivedMac(seed));
    const moved = macs.filter((mac, n) => mac !== natural[n]).length;
    expect([new Set(macs).size, moved]).toEqual([10_000, 10_000 - new Set(natural).size]);
  });

});

describe("a group's macBase", () => {
  const group = (macBase: string, count = 3) => (s: TerraformStack) => {
    const { host, image, lan } = lab(s);
    return new VirtualMachineGroup(host, "web", { image, count, hostnamePrefix: "web", interfaces: [{ network: lan, macBase }] });
  };

  test("numbers the group's MACs from it", () => {
    let macs: string[] = [];
    synth((s) => (macs = group("52:54:00:10:00:FE")(s).vms.map((vm) => vm.macAddresses[0])));
    expect(macs).toEqual(["52:54:00:10:00:fe", "52:54:00:10:00:ff", "52:54:00:10:01:00"]);
  });

  test.each([
    ["01:00:5e:00:00:00", 3, '[test/local/web] interfaces[0].macBase: "01:00:5e:00:00:00" is a multicast address; a NIC needs a unicast MAC'],
    ["00:00:00:00:00:00", 3, '[test/local/web] interfaces[0].macBase: "00:00:00:00:00:00" is the all-zero address, which no NIC may have'],
    ["52:54:00:1", 3, '[test/local/web] interfaces[0].macBase: "52:54:00:1" is not a MAC address like 52:54:00:12:34:56 (lowercase hex, colons)'],
    ["fe:ff:ff:ff:ff:ff", 2, "[test/local/web] interfaces[0].macBase: 2 MACs from fe:ff:ff:ff:ff:ff run past the end of its first octet"],
  ])("%s (count %s)", (macBase, count, message) => {
    expect(errorOf(group(macBase, count))).toBe(message);
  });

  test("two groups whose MAC ranges overlap", () => {
    expect(
      errorOf((s) => {
        const { host, image, lan } = lab(s);
        new VirtualMachineGroup(host, "web", { image, count: 3, hostnamePrefix: "web", interfaces: [{ network: lan, macBase: "52:54:00:10:00:00" }] });
        new VirtualMachineGroup(host, "api", { image, count: 3, hostnamePrefix: "api", interfaces: [{ network: lan, macBase: "52:54:00:10:00:02" }] });
      }),
    ).toContain('[test/local/api/api-1] interfaces[0].mac: MAC "52:54:00:10:00:02" is already used by test/local/web/web-3');
  });
});
