// Networks: a group of three with static addresses on the LAN bridge, a NAT lab network whose DHCP
// hands out a lease, and a NAT network without DHCP refused at synth for a DHCP guest.
import { Deployment, expectExit, LAB_VM, labSpec } from "../harness/deploy";
import { guestShell, waitForAgent } from "../harness/guest";
import { currentLab, inLab } from "../harness/lab";
import { domainExists, virsh } from "../harness/virsh";

const lab = currentLab();

describe("a group of three with static addresses", () => {
  const group = new Deployment(lab, "group");
  const spec = labSpec("group", {
    networks: { lan: { type: "host-bridge", bridge: "br0", subnets: ["192.168.150.0/24"], gateway4: "192.168.150.1" } },
    groups: {
      web: { ...LAB_VM, memory: "768 MiB", count: 3, hostnamePrefix: "web", interfaces: [{ network: "lan", addressRange: { start: "192.168.150.21/24", end: "192.168.150.29" } }] },
    },
  });

  test("each VM answers ping at its address inside the namespace, and reports it in its output", async () => {
    expectExit(await group.deploy(spec, ["--wait-for-addresses", "8m"]), 0);
    for (const [i, name] of ["web-1", "web-2", "web-3"].entries()) {
      const address = `192.168.150.${21 + i}`;
      await waitForAgent(name);
      expect(await guestShell(name, "ip -o -4 addr show dev eth0")).toContain(`${address}/24`);
      expect(inLab(lab, "ping", ["-c", "1", "-W", "5", address]).code).toBe(0);
      expect(group.outputs()[`local_web_${name}`].addresses).toEqual([address]);
    }
  });
});

describe("a NAT lab network", () => {
  const nat = new Deployment(lab, "nat");

  test("a DHCP guest on a NAT network without dhcpRange is refused at synth, with the remedy; nothing is created", async () => {
    const run = await nat.deploy(
      labSpec("nat", { networks: { lab: { type: "nat", subnet: "10.77.0.0/24" } }, vms: { natvm: { ...LAB_VM, interfaces: [{ network: "lab" }] } } }),
    );
    expectExit(run, 1);
    expect(run.stderr).toContain(
      "[nat/local/natvm] interfaces[0]: network nat/local/lab serves no DHCP (a NAT network without dhcpRange), so this interface would get no address: give it addresses, or give the network a dhcpRange",
    );
    expect(domainExists("natvm")).toBe(false);
  });

  test("with a dhcpRange the guest takes a lease from libvirt's dnsmasq, and its output has the address", async () => {
    const run = await nat.deploy(
      labSpec("nat", {
        networks: { lab: { type: "nat", subnet: "10.77.0.0/24", dhcpRange: { start: "10.77.0.100", end: "10.77.0.150" } } },
        vms: { natvm: { ...LAB_VM, interfaces: [{ network: "lab" }] } },
      }),
      ["--wait-for-addresses", "5m"],
    );
    expectExit(run, 0);
    const [mac] = nat.outputs().local_natvm.macs as string[];
    const lease = virsh("net-dhcp-leases", "lab", "--mac", mac);
    const address = /(10\.77\.0\.\d+)\/24/.exec(lease)?.[1];
    expect(address).toBeDefined();
    expect(nat.outputs().local_natvm.addresses).toContain(address);
    await waitForAgent("natvm");
    expect(await guestShell("natvm", "ip -o -4 route show default")).toContain("via 10.77.0.1");
  });
});
