// The example every user knows: one VM "testvm", 2048 MiB, 1 vCPU, a 100 GiB system disk, on the host
// bridge br0 with DHCP, autostart. Deployed from scratch, deployed again (no changes), then resized
// while it runs: each through cdktf-libvirt-deploy with the real binary and provider.
import { Deployment, expectExit, LAB_VM, labSpec } from "../harness/deploy";
import { guestShell, waitForAgent, waitForCloudInit } from "../harness/guest";
import { currentLab, leases } from "../harness/lab";
import { domInfo, volumeCapacity } from "../harness/virsh";

const lab = currentLab();
const testvm = new Deployment(lab, "testvm");
const spec = (vm: Record<string, unknown> = {}) =>
  labSpec("testvm", {
    vms: {
      testvm: { ...LAB_VM, memory: "2048 MiB", vcpus: 1, systemDiskSize: "100 GiB", interfaces: [{ network: "br0" }], autostart: true, ...vm },
    },
  });

describe("testvm", () => {
  test("from scratch: running, autostart, a 100 GiB overlay and a seed; hostname and address from the guest; the address in the output", async () => {
    const run = await testvm.deploy(spec(), ["--wait-for-addresses", "5m"]);
    expectExit(run, 0);
    expect(run.stderr).toContain("[deploy] applied stack testvm");

    const info = domInfo("testvm");
    expect(info.get("State")).toBe("running");
    expect(info.get("Autostart")).toBe("enable");
    expect(info.get("Max memory")).toBe(`${2048 * 1024} KiB`);
    expect(info.get("CPU(s)")).toBe("1");
    expect(volumeCapacity("testvm-system.qcow2")).toBe(100 * 1024 ** 3);
    expect(volumeCapacity("testvm-seed.iso")).toBeGreaterThan(0);

    await waitForAgent("testvm");
    expect(await waitForCloudInit("testvm")).toEqual([]);
    expect((await guestShell("testvm", "hostname")).trim()).toBe("testvm");
    const [mac] = testvm.outputs().local_testvm.macs as string[];
    const leased = leases(lab).get(mac);
    expect(leased).toBeDefined();
    expect(await guestShell("testvm", "ip -o -4 addr show dev eth0")).toContain(`${leased}/24`);
    expect(testvm.outputs().local_testvm.addresses).toContain(leased);
  });

  test("a second deploy changes nothing", async () => {
    const run = await testvm.deploy(spec());
    expectExit(run, 0);
    expect(run.stderr).toContain("[deploy] no changes: stack testvm matches the configuration; nothing applied");
  });

  test("memory and vCPUs change while it runs: deploy exits 0, libvirt has the new sizes, the next deploy changes nothing", async () => {
    const run = await testvm.deploy(spec({ memory: "2560 MiB", vcpus: 2 }), ["--wait-for-addresses", "5m"]);
    expectExit(run, 0);
    if (testvm.parts.providerVersions.includes("0.9.7")) {
      expect(run.stderr).toMatch(/warning: libvirt_domain\.local_testvm: the update was applied, but the provider reported the domain's runtime id changing .* fixed in 0\.9\.8/);
    }
    const info = domInfo("testvm");
    expect(info.get("State")).toBe("running");
    expect(info.get("Max memory")).toBe(`${2560 * 1024} KiB`);
    expect(info.get("CPU(s)")).toBe("2");
    await waitForAgent("testvm");
    expect((await guestShell("testvm", "nproc")).trim()).toBe("2");

    const again = await testvm.deploy(spec({ memory: "2560 MiB", vcpus: 2 }));
    expectExit(again, 0);
    expect(again.stderr).toContain("no changes");
  });
});
