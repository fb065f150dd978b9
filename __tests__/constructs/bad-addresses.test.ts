import { TerraformStack } from "cdktf";
import { BaseImage, BridgeNetwork, LibvirtHost, Size, VirtualMachine, VirtualMachineGroup, Volume } from "cdktf-libvirt";
import { errorOf } from "../helpers/synth";

/** A host with an image, the LAN on br0 (192.168.1.0/24, gateway .1) and an IPv6 LAN on br1. */
function lab(stack: TerraformStack) {
  const host = new LibvirtHost(stack, "local");
  const image = new BaseImage(host, "debian", { source: "/images/debian.qcow2" });
  const lan = BridgeNetwork.fromHostBridge(host, "lan", { bridge: "br0", subnets: ["192.168.1.0/24"], gateway4: "192.168.1.1" });
  const lan6 = BridgeNetwork.fromHostBridge(host, "lan6", { bridge: "br1", subnets: ["2001:db8::/64"], gateway6: "2001:db8::1" });
  const open = BridgeNetwork.fromHostBridge(host, "open", { bridge: "br2" });
  return { host, image, lan, lan6, open };
}

const staticVm = (network: "lan" | "lan6" | "open", addresses: string[], extra: object = {}) => (s: TerraformStack) => {
  const l = lab(s);
  new VirtualMachine(l.host, "vm", { image: l.image, interfaces: [{ network: l[network], addresses, ...extra }] });
};

describe("static addresses a subnet reserves are refused", () => {
  test.each([
    ["the gateway", "lan", ["192.168.1.1/24"], "[test/local/vm] interfaces[0].addresses[0]: 192.168.1.1/24 is the gateway's address"],
    ["the network address", "lan", ["192.168.1.0/24"], "[test/local/vm] interfaces[0].addresses[0]: 192.168.1.0/24 is its subnet's network address, which no interface may have"],
    ["the broadcast address", "lan", ["192.168.1.255/24"], "[test/local/vm] interfaces[0].addresses[0]: 192.168.1.255/24 is its subnet's broadcast address, which no interface may have"],
    ["the IPv6 subnet-router anycast address", "lan6", ["2001:db8::/64"], "[test/local/vm] interfaces[0].addresses[0]: 2001:db8::/64 is its subnet's network address, which no interface may have"],
    ["the IPv6 gateway", "lan6", ["2001:db8::1/64"], "[test/local/vm] interfaces[0].addresses[0]: 2001:db8::1/64 is the gateway's address"],
    ["a network address on a network that declares no subnet", "open", ["10.0.0.0/8"], "[test/local/vm] interfaces[0].addresses[0]: 10.0.0.0/8 is its subnet's network address, which no interface may have"],
    ["a broadcast address on a network that declares no subnet", "open", ["10.1.2.255/24"], "[test/local/vm] interfaces[0].addresses[0]: 10.1.2.255/24 is its subnet's broadcast address, which no interface may have"],
  ] as const)("%s", (_what, network, addresses, message) => {
    expect(errorOf(staticVm(network, [...addresses]))).toBe(message);
  });

  test("the interface's own gateway, given per interface", () => {
    expect(errorOf(staticVm("open", ["10.0.0.1/24"], { gateway4: "10.0.0.1" }))).toBe("[test/local/vm] interfaces[0].addresses[0]: 10.0.0.1/24 is the gateway's address");
  });

  test.each([
    ["10.0.0.0/31", "RFC 3021 point-to-point links have no network address"],
    ["10.0.0.1/32", "a single host"],
    ["192.168.1.254/24", "the last address before the broadcast"],
  ])("%s is accepted (%s)", (address) => {
    expect(() => errorOf(staticVm(address.endsWith("/24") ? "lan" : "open", [address]))).toThrow("expected a validation error");
  });

  test("the host's address on a NAT network", () => {
    expect(
      errorOf((s) => {
        const { host, image } = lab(s);
        const nat = BridgeNetwork.nat(host, "nat", { subnet: "10.10.10.0/24" });
        new VirtualMachine(host, "vm", { image, interfaces: [{ network: nat, addresses: ["10.10.10.1/24"] }] });
      }),
    ).toBe("[test/local/vm] interfaces[0].addresses[0]: 10.10.10.1/24 is the gateway's address");
  });
});

describe("group address ranges", () => {
  const group = (start: string, count = 3, network: "lan" | "open" = "lan", extra: object = {}) => (s: TerraformStack) => {
    const l = lab(s);
    new VirtualMachineGroup(l.host, "web", { image: l.image, count, hostnamePrefix: "web", interfaces: [{ network: l[network], addressRange: { start }, ...extra }] });
  };

  test.each([
    ["starting at the gateway", group("192.168.1.1/24"), "[test/local/web] interfaces[0].addressRange: 192.168.1.1-192.168.1.3 includes the gateway 192.168.1.1"],
    ["starting at a /25's network address", group("192.168.1.0/25", 3, "open"), "[test/local/web] interfaces[0].addressRange: 192.168.1.0-192.168.1.2 includes its subnet's network address 192.168.1.0, which no interface may have"],
    ["holding a given gateway", group("10.0.0.5/24", 3, "open", { gateway4: "10.0.0.6" }), "[test/local/web] interfaces[0].addressRange: 10.0.0.5-10.0.0.7 includes the gateway 10.0.0.6"],
    ["starting at the network address", group("192.168.1.0/24"), "[test/local/web] interfaces[0].addressRange: 192.168.1.0-192.168.1.2 includes its subnet's network address 192.168.1.0, which no interface may have"],
    ["ending at the broadcast address", group("192.168.1.253/24"), "[test/local/web] interfaces[0].addressRange: 192.168.1.253-192.168.1.255 includes its subnet's broadcast address 192.168.1.255, which no interface may have"],
    ["at the end of the IPv4 address space", group("255.255.255.254/32", 3, "open"), "[test/local/web] interfaces[0].addressRange: 3 addresses from 255.255.255.254/32 run past the end of its subnet"],
    ["at the end of the IPv6 address space", group("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127", 3, "open"), "[test/local/web] interfaces[0].addressRange: 3 addresses from ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127 run past the end of its subnet"],
    ["with a fractional count", group("192.168.1.10/24", 1.5), "[test/local/web] count: must be a whole number from 1 to 1000 (got 1.5)"],
    ["with a count of zero", group("192.168.1.10/24", 0), "[test/local/web] count: must be a whole number from 1 to 1000 (got 0)"],
  ])("%s", (_what, build, message) => {
    expect(errorOf(build)).toBe(message);
  });
});

describe("MACs", () => {
  test.each([
    ["00:00:00:00:00:00", '[test/local/vm] interfaces[0].mac: "00:00:00:00:00:00" is the all-zero address, which no NIC may have'],
    ["ff:ff:ff:ff:ff:ff", '[test/local/vm] interfaces[0].mac: "ff:ff:ff:ff:ff:ff" is a multicast address; a NIC needs a unicast MAC'],
    ["33:33:00:00:00:01", '[test/local/vm] interfaces[0].mac: "33:33:00:00:00:01" is a multicast address; a NIC needs a unicast MAC'],
  ])("%s", (mac, message) => {
    expect(errorOf((s) => { const l = lab(s); new VirtualMachine(l.host, "vm", { image: l.image, interfaces: [{ network: l.lan, mac }] }); })).toBe(message);
  });
});

describe("NAT networks", () => {
  const nat = (options: Parameters<typeof BridgeNetwork.nat>[2]) => (s: TerraformStack) => BridgeNetwork.nat(new LibvirtHost(s, "local"), "nat", options);
  test.each([
    [{ subnet: "10.0.0.0/32" }, '[test/local/nat] subnet: "10.0.0.0/32" leaves no address for guests: a NAT subnet needs a prefix of at most /30'],
    [{ subnet: "10.0.0.0/31" }, '[test/local/nat] subnet: "10.0.0.0/31" leaves no address for guests: a NAT subnet needs a prefix of at most /30'],
    [{ subnet: "fd00::/127" }, '[test/local/nat] subnet: "fd00::/127" leaves no address for guests: a NAT subnet needs a prefix of at most /126'],
    [{ subnet: "10.0.0.0/24", dhcpRange: { start: "10.0.0.1", end: "10.0.0.100" } }, "[test/local/nat] dhcpRange: 10.0.0.1-10.0.0.100 includes the host's address 10.0.0.1"],
    [{ subnet: "10.0.0.0/24", dhcpRange: { start: "10.0.0.0", end: "10.0.0.0" } }, "[test/local/nat] dhcpRange: 10.0.0.0-10.0.0.0 includes the subnet's network or broadcast address"],
    [{ subnet: "10.0.0.0/24", dhcpRange: { start: "10.0.0.2", end: "10.0.0.255" } }, "[test/local/nat] dhcpRange: 10.0.0.2-10.0.0.255 includes the subnet's network or broadcast address"],
  ])("%j", (options, message) => {
    expect(errorOf(nat(options))).toBe(message);
  });

  test("a /30 leaves the host one address and a guest another", () => {
    expect(() => errorOf(nat({ subnet: "10.0.0.0/30", dhcpRange: { start: "10.0.0.2", end: "10.0.0.2" } }))).toThrow("expected a validation error");
  });
});

describe("sizes", () => {
  const disk = (size: () => Size) => (s: TerraformStack) => {
    const l = lab(s);
    const vm = new VirtualMachine(l.host, "vm", { image: l.image });
    vm.addDisk(Volume.blank(vm, "data", { size: size() }));
  };

  test("9999 TiB is a whole number of bytes, above 2^53, and accepted", () => {
    expect(() => errorOf(disk(() => Size.tebibytes(9999)))).toThrow("expected a validation error");
  });

  test.each([
    ["half a byte", () => Size.bytes(0.5), "0.5 B is not a whole number of bytes"],
    ["2^64 bytes", () => Size.tebibytes(16777216), "16777216 TiB is not below libvirt's limit of 16777216 TiB (2^64 bytes)"],
    ["a fraction above 2^53 bytes", () => Size.tebibytes(8192.5), "8192.5 TiB cannot be held exactly: above 2^53 bytes give a whole number of a larger unit"],
    ["a byte count above 2^53", () => Size.bytes(2 ** 53 + 2), "9007199254740994 B cannot be held exactly: above 2^53 bytes give a whole number of a larger unit"],
  ])("%s", (_what, size, message) => {
    expect(size).toThrow(message);
  });
});
