// Devices and tuning applied for real: a virtiofs share (read-write) and a 9p share (read-only) that
// cloud-init mounts, a swtpm TPM 2.0, memory from huge pages, pinned vCPUs and emulator threads and a
// NUMA placement. The guest sees and uses each; the provider reads every one back as configured.
import * as fs from "node:fs";
import * as path from "node:path";
import { Deployment, expectExit, LAB_VM, labSpec } from "../harness/deploy";
import { guestExec, guestShell, waitForAgent, waitForCloudInit } from "../harness/guest";
import { currentLab } from "../harness/lab";
import { domainXml } from "../harness/virsh";

const lab = currentLab();
const devices = new Deployment(lab, "devices");
const shared = path.join(lab.runDir, "shares");
const writable = path.join(shared, "rw");
const readable = path.join(shared, "ro");

const spec = labSpec("devices", {
  vms: {
    tuned: {
      ...LAB_VM,
      interfaces: [{ network: "br0" }],
      tpm: true,
      hugePages: "2 MiB",
      cpuPinning: { vcpus: ["0"], emulator: "1" },
      numa: { nodeset: "0" },
      shares: [
        { hostPath: writable, tag: "work", mountPoint: "/mnt/work" },
        { hostPath: readable, tag: "docs", driver: "9p", readOnly: true, mountPoint: "/mnt/docs" },
      ],
    },
  },
});

describe("devices and tuning", () => {
  beforeAll(() => {
    for (const dir of [writable, readable]) fs.mkdirSync(dir, { recursive: true, mode: 0o777 });
    fs.writeFileSync(path.join(readable, "hello.txt"), "from the host\n");
  });

  test("the guest mounts both shares, has a TPM, runs on huge pages and pinned CPUs; a redeploy changes nothing", async () => {
    expectExit(await devices.deploy(spec), 0);
    const xml = domainXml("tuned");
    expect(xml).toMatch(/<hugepages>\s*<page size='2048' unit='KiB'\/>\s*<\/hugepages>/);
    expect(xml).toContain("<access mode='shared'/>");
    expect(xml).toContain("<vcpupin vcpu='0' cpuset='0'/>");
    expect(xml).toContain("<emulatorpin cpuset='1'/>");
    expect(xml).toContain("<memory mode='strict' nodeset='0'/>");
    expect(xml).toMatch(/<tpm model='tpm-crb'>\s*<backend type='emulator' version='2.0'/);

    await waitForAgent("tuned");
    expect(await waitForCloudInit("tuned")).toEqual([]);
    const mounts = await guestShell("tuned", "for m in /mnt/work /mnt/docs; do findmnt -rn -o TARGET,FSTYPE,OPTIONS --mountpoint $m; done");
    expect(mounts).toMatch(/^\/mnt\/work virtiofs rw,/m);
    expect(mounts).toMatch(/^\/mnt\/docs 9p ro,/m);
    expect(await guestShell("tuned", "cat /mnt/docs/hello.txt")).toBe("from the host\n");
    await guestShell("tuned", "echo from the guest > /mnt/work/reply.txt");
    expect(fs.readFileSync(path.join(writable, "reply.txt"), "utf8")).toBe("from the guest\n");
    expect((await guestExec("tuned", ["/bin/sh", "-c", "touch /mnt/docs/nope"])).exitcode).not.toBe(0);
    expect(await guestShell("tuned", "test -c /dev/tpm0 && cat /sys/class/tpm/tpm0/tpm_version_major")).toBe("2\n");

    // the resources as the provider reads them back match the configuration; the addresses output fills
    // now that the agent answers, and after that nothing changes at all
    const again = await devices.deploy(spec);
    expectExit(again, 0);
    expect(again.stderr).toContain("[deploy] plan: 0 to create, 0 to update, 0 to replace, 0 to delete");
    const third = await devices.deploy(spec);
    expectExit(third, 0);
    expect(third.stderr).toContain("[deploy] no changes: stack devices matches the configuration; nothing applied");
  });
});
