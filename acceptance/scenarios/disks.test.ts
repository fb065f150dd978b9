// Disks keep their bytes: a cloud-init edit replaces only the seed, and a removed VM leaves its retained
// disks in the pool. cloud-init itself: an existing guest keeps its first-boot configuration unless
// cloudInit.applyOnChange makes the next cold start a new instance.
import { randomBytes } from "node:crypto";
import { Deployment, expectExit, LAB_VM, labSpec } from "../harness/deploy";
import { guestShell, waitForAgent, waitForBoot, waitForCloudInit } from "../harness/guest";
import { currentLab } from "../harness/lab";
import { waitFor } from "../harness/run";
import { domainExists, domInfo, virsh, volumeCapacity } from "../harness/virsh";

const lab = currentLab();
const disks = new Deployment(lab, "disks");
const spec = (cloudInit: Record<string, unknown> = {}) =>
  labSpec("disks", { vms: { db: { ...LAB_VM, interfaces: [{ network: "br0" }], dataDisks: { data: { size: "2 GiB" } }, cloudInit } } });
const marker = randomBytes(8).toString("hex");
// the data disk is raw to the guest: the marker sits at 1 MiB, no filesystem needed
const readMarkers = async () => ({
  system: (await guestShell("db", "cat /var/lib/cdktf-libvirt-marker")).trim(),
  data: (await guestShell("db", "dd if=/dev/vdb bs=1 skip=1048576 count=16 2>/dev/null")).trim(),
});

/** Shuts the booted guest down and starts it again: a new QEMU process, which reads the replaced seed. */
async function coldStart(domain: string): Promise<void> {
  await waitForBoot(domain);
  virsh("shutdown", domain);
  await waitFor(`${domain} to shut off`, 120_000, () => (domInfo(domain).get("State") === "shut off" ? true : undefined));
  virsh("start", domain);
  await waitForAgent(domain);
}

describe("disks and cloud-init edits", () => {
  test("a VM with a data disk; markers written to the system and the data disk", async () => {
    expectExit(await disks.deploy(spec()), 0);
    expect(volumeCapacity("db-data.qcow2")).toBe(2 * 1024 ** 3);
    await waitForAgent("db");
    expect(await waitForCloudInit("db")).toEqual([]);
    await guestShell("db", `echo ${marker} > /var/lib/cdktf-libvirt-marker && printf ${marker} | dd of=/dev/vdb bs=1 seek=1048576 conv=notrunc 2>/dev/null && sync`);
    expect(await readMarkers()).toEqual({ system: marker, data: marker });
  });

  test("a cloud-init edit replaces only the seed, says the guest keeps its first-boot configuration, and both disks keep their bytes", async () => {
    const run = await disks.deploy(spec({ timezone: "Europe/Berlin" }));
    expectExit(run, 0);
    expect(run.stderr).toMatch(/plan: 0 to create, 0 to update, 2 to replace, 0 to delete/);
    expect(run.stderr).toContain("-/+ libvirt_volume.local_db_CloudInit  (replace; a replace trigger changed; allowed: holds no data (cloud-init seed, rebuilt from the configuration))");
    expect(run.stderr).toContain(
      "note: libvirt_cloudinit_disk.local_db_CloudInit_seed: cloud-init changed for guest db, which keeps its first-boot configuration",
    );
    await coldStart("db");
    expect(await readMarkers()).toEqual({ system: marker, data: marker });
    // same instance-id: cloud-init did not run its per-instance steps again
    expect((await guestShell("db", "cat /etc/timezone")).trim()).not.toBe("Europe/Berlin");
  });

  test("with applyOnChange the next cold start is a new instance: cloud-init runs again, the disks keep their bytes", async () => {
    const run = await disks.deploy(spec({ timezone: "Europe/Berlin", applyOnChange: true }));
    expectExit(run, 0);
    expect(run.stderr).toContain("note: libvirt_cloudinit_disk.local_db_CloudInit_seed: cloud-init changed for guest db with a new instance-id");
    await coldStart("db");
    expect(await waitForCloudInit("db")).toEqual([]);
    expect((await guestShell("db", "cat /etc/timezone")).trim()).toBe("Europe/Berlin");
    expect(await readMarkers()).toEqual({ system: marker, data: marker });
  });

  test("removing the VM is refused; allowed, the domain goes and its retained disks stay in the pool, out of the state", async () => {
    const empty = labSpec("disks", {});
    const refused = await disks.deploy(empty);
    expectExit(refused, 3);
    expect(refused.stderr).toContain("  libvirt_volume.local_db_SystemDisk\n[deploy]   libvirt_volume.local_db_data");
    expect(refused.stderr).toContain("--allow-destroy 'libvirt_domain.local_db'");
    expect(refused.stderr).not.toContain("--allow-destroy 'libvirt_volume");
    expect(domainExists("db")).toBe(true);

    const run = await disks.deploy(empty, ["--allow-destroy", "libvirt_domain.local_db"]);
    expectExit(run, 0);
    expect(domainExists("db")).toBe(false);
    expect(volumeCapacity("db-system.qcow2")).toBeGreaterThan(0);
    expect(volumeCapacity("db-data.qcow2")).toBe(2 * 1024 ** 3);
    expect(volumeCapacity("db-seed.iso")).toBeUndefined();
    expect(run.stderr).toContain(".   libvirt_volume.local_db_data  (forget; it was removed from the configuration)");
  });
});
