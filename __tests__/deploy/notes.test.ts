// What deploy says about changed cloud-init seeds and missing addresses (pure helpers; the acceptance
// suite shows both on real guests).
import { missingAddresses, refreshArgs } from "../../deploy/addresses";
import { cloudInitNotes } from "../../deploy/cloud-init-notes";
import type { PlanJson } from "../../deploy/plan-check";

const seedChange = (beforeMeta: string, afterMeta: string, actions = ["delete", "create"]): PlanJson => ({
  format_version: "1.2",
  resource_changes: [
    {
      address: "libvirt_cloudinit_disk.local_web_CloudInit_seed",
      type: "libvirt_cloudinit_disk",
      change: { actions, before: { meta_data: beforeMeta, user_data: "#cloud-config\nhostname: web\n" }, after: { meta_data: afterMeta } },
    },
  ],
});

describe("cloud-init notes", () => {
  test("a replaced seed with the same instance-id: the guest keeps its first-boot configuration", () => {
    const meta = "instance-id: web\nlocal-hostname: web\n";
    expect(cloudInitNotes(seedChange(meta, meta))).toEqual([
      "libvirt_cloudinit_disk.local_web_CloudInit_seed: cloud-init changed for guest web, which keeps its first-boot configuration: the seed is " +
        "replaced, but its instance-id is the same, so cloud-init does not run again. Apply the change inside the guest, or set " +
        "cloudInit.applyOnChange to make its next cold start a new instance.",
    ]);
  });

  test("a new instance-id: the next cold start runs cloud-init again", () => {
    const [note] = cloudInitNotes(seedChange("instance-id: web-aaaaaaaaaaaa\nlocal-hostname: web\n", "instance-id: web-bbbbbbbbbbbb\nlocal-hostname: web\n"));
    expect(note).toContain("cloud-init changed for guest web with a new instance-id: its next cold start");
  });

  test("nothing for a new seed (a new VM) or a deletion", () => {
    const created = seedChange("", "");
    expect(cloudInitNotes({ ...created, resource_changes: [{ ...created.resource_changes![0], change: { actions: ["create"], before: null, after: {} } }] })).toEqual([]);
    expect(cloudInitNotes(seedChange("instance-id: web\n", "", ["delete"]))).toEqual([]);
  });
});

describe("outputs without addresses", () => {
  const stack = {
    output: {
      local_web: { value: { addresses: "${flatten([for i in data.libvirt_domain_interface_addresses.local_web_Addresses.interfaces : []])}", macs: [], name: "web" } },
      local_db: { value: { addresses: "${flatten([for i in data.libvirt_domain_interface_addresses.local_db_Addresses.interfaces : []])}", macs: [], name: "db" } },
    },
  };

  test("the VMs with NICs and no address yet, with the lookup to refresh", () => {
    const outputs = JSON.stringify({
      local_web: { value: { name: "web", macs: ["52:54:00:00:00:01"], addresses: [] } },
      local_db: { value: { name: "db", macs: ["52:54:00:00:00:02"], addresses: ["192.168.1.5"] } },
      other: { value: "x" },
    });
    expect(missingAddresses(outputs, stack)).toEqual([{ output: "local_web", lookup: "data.libvirt_domain_interface_addresses.local_web_Addresses" }]);
  });

  test("a VM without NICs has nothing to wait for", () => {
    expect(missingAddresses(JSON.stringify({ local_web: { value: { name: "web", macs: [], addresses: [] } } }), stack)).toEqual([]);
  });

  test("the refresh touches only the lookups (and what they read)", () => {
    expect(refreshArgs(["data.libvirt_domain_interface_addresses.local_web_Addresses"], { lockTimeout: "5m", color: false })).toEqual([
      "apply", "-refresh-only", "-auto-approve", "-input=false", "-lock-timeout=5m", "-no-color", "-target=data.libvirt_domain_interface_addresses.local_web_Addresses",
    ]);
  });
});
