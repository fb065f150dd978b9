import { BaseImage, BridgeNetwork, LibvirtHost, VirtualMachine } from "cdktf-libvirt";
import { errorOf, resources, synth } from "../helpers/synth";

describe("BridgeNetwork", () => {
  test("a host bridge creates no libvirt network; VMs attach to the bridge directly", () => {
    const { tf } = synth((s) => {
      const host = new LibvirtHost(s, "local");
      const br0 = BridgeNetwork.fromHostBridge(host, "br0", { bridge: "br0" });
      new VirtualMachine(host, "vm", { image: new BaseImage(host, "img", { source: "/i.qcow2" }), interfaces: [{ network: br0 }] });
    });
    expect(tf.resource.libvirt_network).toBeUndefined();
    expect(resources(tf, "libvirt_domain").local_vm.devices.interfaces[0].source).toEqual({ bridge: { bridge: "br0" } });
  });

  test("a bridged libvirt network forwards over the host bridge", () => {
    const { tf } = synth((s) => {
      const host = new LibvirtHost(s, "local");
      const lan = BridgeNetwork.bridged(host, "lan", { bridge: "br0" });
      new VirtualMachine(host, "vm", { image: new BaseImage(host, "img", { source: "/i.qcow2" }), interfaces: [{ network: lan }] });
    });
    expect(resources(tf, "libvirt_network").local_lan).toEqual({
      name: "lan",
      provider: "libvirt.local",
      autostart: true,
      forward: { mode: "bridge" },
      bridge: { name: "br0" },
    });
    expect(resources(tf, "libvirt_domain").local_vm.devices.interfaces[0].source).toEqual({ network: { network: "${libvirt_network.local_lan.name}" } });
  });

  test("a NAT network takes the subnet's first address and serves DHCP from its range", () => {
    const { tf } = synth((s) =>
      BridgeNetwork.nat(new LibvirtHost(s, "local"), "lab", {
        subnet: "10.10.10.0/24",
        dhcpRange: { start: "10.10.10.100", end: "10.10.10.199" },
        domain: "lab.internal",
        bridge: "virbr10",
      }),
    );
    expect(resources(tf, "libvirt_network").local_lab).toEqual({
      name: "lab",
      provider: "libvirt.local",
      autostart: true,
      forward: { mode: "nat" },
      bridge: { name: "virbr10" },
      domain: { name: "lab.internal" },
      ips: [{ address: "10.10.10.1", prefix: 24, dhcp: { ranges: [{ start: "10.10.10.100", end: "10.10.10.199" }] } }],
    });
  });

  test("static addresses on a NAT network default to its gateway and DNS", () => {
    const { tf } = synth((s) => {
      const host = new LibvirtHost(s, "local");
      const lab = BridgeNetwork.nat(host, "lab", { subnet: "10.10.10.0/24" });
      new VirtualMachine(host, "vm", { image: new BaseImage(host, "img", { source: "/i.qcow2" }), interfaces: [{ network: lab, addresses: ["10.10.10.5/24"] }] });
    });
    const config = resources(tf, "libvirt_cloudinit_disk").local_vm_CloudInit_seed.network_config;
    expect(config).toContain("via: 10.10.10.1");
    expect(config).toContain("nameservers:\n      addresses:\n        - 10.10.10.1");
  });

  test.each([
    [{ subnet: "10.10.10.5/24" }, '[test/local/lab] subnet: "10.10.10.5/24" has host bits set; did you mean 10.10.10.0/24?'],
    [{ subnet: "10.10.10.0/24", dhcpRange: { start: "10.10.11.1", end: "10.10.10.9" } }, "[test/local/lab] dhcpRange.start: 10.10.11.1 is outside 10.10.10.0/24"],
    [{ subnet: "10.10.10.0/24", dhcpRange: { start: "10.10.10.50", end: "10.10.10.9" } }, "[test/local/lab] dhcpRange: 10.10.10.50 comes after 10.10.10.9"],
  ])("a bad NAT network %j", (options, message) => {
    expect(errorOf((s) => BridgeNetwork.nat(new LibvirtHost(s, "local"), "lab", options))).toBe(message);
  });
});
