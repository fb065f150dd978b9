import { TerraformStack } from "cdktf";
import {
  BaseImage,
  BridgeNetwork,
  Firmware,
  LibvirtHost,
  Size,
  StoragePool,
  VirtualMachine,
  VirtualMachineGroup,
  VirtualMachineProps,
  Volume,
} from "cdktf-libvirt";
import { errorOf } from "../helpers/synth";

/** A host with a base image (2 GiB) and the LAN on br0 (192.168.1.0/24), ready for one bad VM. */
function lab(stack: TerraformStack) {
  const host = new LibvirtHost(stack, "local");
  const image = new BaseImage(host, "debian", { source: "/images/debian.qcow2", virtualSize: Size.gibibytes(2) });
  const lan = BridgeNetwork.fromHostBridge(host, "lan", { bridge: "br0", subnets: ["192.168.1.0/24"], gateway4: "192.168.1.1" });
  const vm = (id: string, props: Partial<VirtualMachineProps> = {}) => new VirtualMachine(host, id, { image, ...props });
  return { host, image, lan, vm };
}

describe("bad input fails at synth time, naming the construct path and the field", () => {
  test.each([
    ["Web", "[test/local/Web] name: \"Web\" is not a valid RFC 1123 label: use 1-63 lowercase letters, digits and inner hyphens"],
    ["-web", "[test/local/-web] name: \"-web\" is not a valid RFC 1123 label: use 1-63 lowercase letters, digits and inner hyphens"],
    ["web_1", '[test/local/web_1] name: "web_1" is not a valid RFC 1123 label: use 1-63 lowercase letters, digits and inner hyphens'],
  ])("invalid VM name %j", (name, message) => {
    expect(errorOf((s) => lab(s).vm(name))).toBe(message);
  });

  test("invalid hostname", () => {
    expect(errorOf((s) => lab(s).vm("web", { hostname: "web_1" }))).toBe(
      '[test/local/web] hostname: "web_1" is not a valid RFC 1123 label: use 1-63 lowercase letters, digits and inner hyphens',
    );
  });

  test("duplicate domain names on one host", () => {
    expect(
      errorOf((s) => {
        const { vm } = lab(s);
        vm("web");
        vm("web2", { name: "web", hostname: "web2" });
      }),
    ).toContain('[test/local/web2] name: domain name "web" is already used by test/local/web');
  });

  test("duplicate hostnames on one host", () => {
    expect(
      errorOf((s) => {
        const { vm } = lab(s);
        vm("web1", { hostname: "web" });
        vm("web2", { hostname: "web" });
      }),
    ).toContain('[test/local/web2] hostname: hostname "web" is already used by test/local/web1');
  });

  test.each([
    [Size.mebibytes(127), "[test/local/vm] memory: must be between 128 MiB and 4 TiB (got 127 MiB)"],
    [Size.tebibytes(5), "[test/local/vm] memory: must be between 128 MiB and 4 TiB (got 5 TiB)"],
    [Size.kibibytes(200_000), "[test/local/vm] memory: must be a whole number of MiB (got 204800000 bytes)"],
  ])("memory out of range: %s", (memory, message) => {
    expect(errorOf((s) => lab(s).vm("vm", { memory }))).toBe(message);
  });

  test.each([Size.mebibytes(128), Size.tebibytes(4)])("memory at the bounds is accepted: %s", (memory) => {
    expect(() => errorOf((s) => lab(s).vm("vm", { memory }))).toThrow("expected a validation error");
  });

  test.each([
    [0, "[test/local/vm] vcpus: must be a whole number from 1 to 256 (got 0)"],
    [257, "[test/local/vm] vcpus: must be a whole number from 1 to 256 (got 257)"],
    [1.5, "[test/local/vm] vcpus: must be a whole number from 1 to 256 (got 1.5)"],
  ])("vCPUs out of range: %s", (vcpus, message) => {
    expect(errorOf((s) => lab(s).vm("vm", { vcpus }))).toBe(message);
  });

  test.each([1, 256])("vCPUs at the bounds are accepted: %s", (vcpus) => {
    expect(() => errorOf((s) => lab(s).vm("vm", { vcpus }))).toThrow("expected a validation error");
  });

  test("bridge name longer than 15 characters", () => {
    expect(errorOf((s) => BridgeNetwork.fromHostBridge(new LibvirtHost(s, "local"), "lan", { bridge: "br-very-long-name" }))).toBe(
      '[test/local/lan] bridge: "br-very-long-name" must be 1-15 characters long (Linux interface name limit)',
    );
    expect(errorOf((s) => BridgeNetwork.bridged(new LibvirtHost(s, "local"), "lan", { bridge: "b".repeat(16) }))).toBe(
      `[test/local/lan] bridge: "${"b".repeat(16)}" must be 1-15 characters long (Linux interface name limit)`,
    );
  });

  test.each([
    ["52:54:00:zz:00:01", '[test/local/vm] interfaces[0].mac: "52:54:00:zz:00:01" is not a MAC address like 52:54:00:12:34:56 (lowercase hex, colons)'],
    ["52-54-00-00-00-01", '[test/local/vm] interfaces[0].mac: "52-54-00-00-00-01" is not a MAC address like 52:54:00:12:34:56 (lowercase hex, colons)'],
    ["01:00:5e:00:00:01", '[test/local/vm] interfaces[0].mac: "01:00:5e:00:00:01" is a multicast address; a NIC needs a unicast MAC'],
  ])("malformed MAC %j", (mac, message) => {
    expect(errorOf((s) => { const { vm, lan } = lab(s); vm("vm", { interfaces: [{ network: lan, mac }] }); })).toBe(message);
  });

  test("duplicate MACs across VMs (case-insensitive)", () => {
    expect(
      errorOf((s) => {
        const { vm, lan } = lab(s);
        vm("a", { interfaces: [{ network: lan, mac: "52:54:00:aa:bb:cc" }] });
        vm("b", { interfaces: [{ network: lan, mac: "52:54:00:AA:BB:CC" }] });
      }),
    ).toContain('[test/local/b] interfaces[0].mac: MAC "52:54:00:aa:bb:cc" is already used by test/local/a');
  });

  test("duplicate static IPs", () => {
    expect(
      errorOf((s) => {
        const { vm, lan } = lab(s);
        vm("a", { interfaces: [{ network: lan, addresses: ["192.168.1.10/24"] }] });
        vm("b", { interfaces: [{ network: lan, addresses: ["192.168.1.10/24"] }] });
      }),
    ).toContain('[test/local/b] interfaces[0].addresses[0]: IP address "192.168.1.10" is already used by test/local/a');
  });

  test("an IP outside its network's subnet", () => {
    expect(errorOf((s) => { const { vm, lan } = lab(s); vm("vm", { interfaces: [{ network: lan, addresses: ["10.0.0.5/24"] }] }); })).toBe(
      "[test/local/vm] interfaces[0].addresses[0]: 10.0.0.5/24 is outside the network's subnets (192.168.1.0/24)",
    );
  });

  test("a gateway outside the interface's subnet", () => {
    expect(
      errorOf((s) => {
        const { vm } = lab(s);
        const wan = BridgeNetwork.fromHostBridge(s.node.findChild("local") as LibvirtHost, "wan", { bridge: "br1" });
        vm("vm", { interfaces: [{ network: wan, addresses: ["10.0.0.5/24"], gateway4: "10.0.1.1" }] });
      }),
    ).toBe("[test/local/vm] interfaces[0].gateway4: 10.0.1.1 is outside the interface's subnet (10.0.0.5/24)");
  });

  test("a network gateway outside the network's subnet", () => {
    expect(errorOf((s) => BridgeNetwork.fromHostBridge(new LibvirtHost(s, "local"), "lan", { bridge: "br0", subnets: ["192.168.1.0/24"], gateway4: "192.168.2.1" }))).toBe(
      "[test/local/lan] gateway4: 192.168.2.1 is outside the network's subnets (192.168.1.0/24)",
    );
  });

  test("overlapping group ranges", () => {
    expect(
      errorOf((s) => {
        const { image, lan } = lab(s);
        const host = s.node.findChild("local") as LibvirtHost;
        new VirtualMachineGroup(host, "web", { count: 10, hostnamePrefix: "web", image, interfaces: [{ network: lan, addressRange: { start: "192.168.1.100/24" } }] });
        new VirtualMachineGroup(host, "api", { count: 5, hostnamePrefix: "api", image, interfaces: [{ network: lan, addressRange: { start: "192.168.1.105/24" } }] });
      }),
    ).toBe("[test/local/api] interfaces[0].addressRange: 192.168.1.105-192.168.1.109 overlaps 192.168.1.100-192.168.1.109 of test/local/web");
  });

  test("a group range too small for its count", () => {
    expect(
      errorOf((s) => {
        const { image, lan } = lab(s);
        new VirtualMachineGroup(s.node.findChild("local") as LibvirtHost, "web", {
          count: 5, hostnamePrefix: "web", image, interfaces: [{ network: lan, addressRange: { start: "192.168.1.100/24", end: "192.168.1.102" } }],
        });
      }),
    ).toBe("[test/local/web] interfaces[0].addressRange: 192.168.1.100-192.168.1.102 holds 3 addresses, fewer than count (5)");
  });

  test.each([
    [Size.gibibytes(0), "[test/local/vm/SystemDisk] size: must be greater than zero"],
  ])("zero system disk size", (systemDiskSize, message) => {
    expect(errorOf((s) => lab(s).vm("vm", { systemDiskSize }))).toBe(message);
  });

  test("negative sizes are refused where they are made", () => {
    expect(() => Size.gibibytes(-10)).toThrow("a size must be a finite, non-negative amount (got -10 GiB)");
  });

  test("zero data disk size", () => {
    expect(errorOf((s) => { const { host } = lab(s); Volume.blank(host, "data", { size: Size.bytes(0) }); })).toBe(
      "[test/local/data] size: must be greater than zero",
    );
  });

  test("a system disk smaller than its base image", () => {
    expect(errorOf((s) => lab(s).vm("vm", { systemDiskSize: Size.gibibytes(1) }))).toBe(
      "[test/local/vm/SystemDisk] size: 1 GiB is smaller than its base image (2 GiB)",
    );
  });

  test("relative UEFI paths", () => {
    expect(errorOf((s) => lab(s).vm("vm", { firmware: Firmware.uefi({ loader: "OVMF_CODE.fd", nvramTemplate: "./OVMF_VARS.fd" }) }))).toBe(
      [
        '[test/local/vm] firmware.loader: "OVMF_CODE.fd" must be an absolute path',
        '[test/local/vm] firmware.nvramTemplate: "./OVMF_VARS.fd" must be an absolute path',
      ].join("\n"),
    );
  });

  test("several problems of one VM are reported together", () => {
    expect(errorOf((s) => lab(s).vm("vm", { vcpus: 0, memory: Size.mebibytes(64) }))).toBe(
      ["[test/local/vm] memory: must be between 128 MiB and 4 TiB (got 64 MiB)", "[test/local/vm] vcpus: must be a whole number from 1 to 256 (got 0)"].join("\n"),
    );
  });

  test("a disk attached to two VMs", () => {
    expect(
      errorOf((s) => {
        const { vm } = lab(s);
        const a = vm("a");
        const data = Volume.blank(a, "data", { size: Size.gibibytes(10) });
        a.addDisk(data);
        vm("b", { dataDisks: [data] });
      }),
    ).toContain('\n  [test/local/b] dataDisks[0]: disk "test/local/a/data" is already used by test/local/a\n');
  });

  test("two resources whose paths meet on one Terraform name", () => {
    expect(
      errorOf((s) => {
        const { vm, host } = lab(s);
        const a = vm("a");
        a.addDisk(Volume.blank(a, "b", { size: Size.gibibytes(1) }));
        Volume.blank(host, "a_b", { size: Size.gibibytes(1), name: "other.qcow2" });
      }),
    ).toBe("[test/local/a_b] id: its Terraform name libvirt_volume.local_a_b is already used by test/local/a/b; rename one of the two");
  });

  test("a relative pool path", () => {
    expect(errorOf((s) => new StoragePool(new LibvirtHost(s, "local"), "vmstore", { path: "vmstore" }))).toBe(
      '[test/local/vmstore] path: "vmstore" must be an absolute path',
    );
  });

  test("a plain password instead of a hash", () => {
    expect(errorOf((s) => lab(s).vm("vm", { cloudInit: { users: [{ name: "ops", passwordHash: "hunter2" }] } }))).toBe(
      "[test/local/vm] cloudInit.users[0].passwordHash: must be a crypt(3) hash such as $6$... or $y$... (mkpasswd), never a plain password",
    );
  });
});
