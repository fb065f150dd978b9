// A domain and its disk made by hand with virsh are adopted, not recreated: the VM's importUuid renders
// an import block, its disk is attached by path (Volume.existing: 0.9.7 cannot import volumes). The first
// deploy imports the domain and updates it to the configuration, keeping its UUID and disk; the second
// changes nothing.
import * as fs from "node:fs";
import * as path from "node:path";
import { Deployment, expectExit, type Spec } from "../harness/deploy";
import { currentLab, URI } from "../harness/lab";
import { attempt } from "../harness/run";
import { domainXml, domInfo, smallDomainXml, virsh, volumeCapacity, volumePath } from "../harness/virsh";

const lab = currentLab();
const adopt = new Deployment(lab, "import");
const NAME = "import-web";
const VOLUME = `${NAME}.qcow2`;
const MAC = "52:54:00:0a:00:01";

/** What an admin would have made with virt-install: a small emulated domain on br0 with one qcow2 disk. */
function defineByHand(): string {
  virsh("vol-create-as", "default", VOLUME, "1G", "--format", "qcow2");
  const xml = path.join(adopt.dir, `${NAME}.xml`);
  fs.writeFileSync(xml, smallDomainXml(NAME, MAC, [`<disk type='volume' device='disk'><driver name='qemu' type='qcow2'/><source pool='default' volume='${VOLUME}'/><target dev='vda' bus='virtio'/></disk>`]));
  virsh("define", xml);
  virsh("start", NAME);
  return virsh("domuuid", NAME).trim();
}

function spec(uuid: string): Spec {
  return {
    stacks: {
      import: {
        hosts: {
          local: {
            networks: { br0: { type: "host-bridge", bridge: "br0" } },
            vms: {
              [NAME]: {
                domainType: "qemu",
                memory: "1024 MiB",
                // the blank disk boots nothing, so nothing answers ACPI: the update forces the domain off after this
                shutdownTimeoutSeconds: 10,
                importUuid: uuid,
                systemDisk: { path: volumePath(VOLUME) },
                interfaces: [{ network: "br0", mac: MAC }],
              },
            },
          },
        },
      },
    },
  };
}

afterAll(() => {
  for (const args of [["destroy", NAME], ["undefine", NAME], ["vol-delete", "--pool", "default", VOLUME]]) attempt("virsh", ["-q", "-c", URI, ...args]);
});

describe("adopting a hand-made domain and disk", () => {
  test("the first deploy imports the domain (nothing created) and updates it in place, keeping its UUID and disk", async () => {
    const uuid = defineByHand();
    const run = await adopt.deploy(spec(uuid));
    expectExit(run, 0);
    expect(run.stderr).toMatch(/plan: 0 to create, 1 to update, 0 to replace, 0 to delete, 1 to import/);
    expect(run.stderr).toContain(`i~  libvirt_domain.local_${NAME}  (import ${uuid}; update)`);
    expect(virsh("domuuid", NAME).trim()).toBe(uuid);
    expect(domInfo(NAME).get("State")).toBe("running");
    // the configuration reached the domain: the guest agent channel the hand-made XML lacked
    expect(domainXml(NAME, true)).toContain("<target type='virtio' name='org.qemu.guest_agent.0'/>");
    expect(domainXml(NAME, true)).toContain(`<mac address='${MAC}'/>`);
    expect(volumeCapacity(VOLUME)).toBe(1024 ** 3);
  });

  test("the second deploy changes nothing", async () => {
    const again = await adopt.deploy(spec(virsh("domuuid", NAME).trim()));
    expectExit(again, 0);
    expect(again.stderr).toContain("[deploy] no changes: stack import matches the configuration; nothing applied");
  });
});
