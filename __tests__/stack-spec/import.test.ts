// Adopting existing objects from the spec: importUuid on VMs and networks; existing volumes by path.
import { Testing } from "cdktf";
import { buildStacks, parseSpec } from "../../stack-spec";
import { synthStack } from "../helpers/synth";

const DOMAIN_UUID = "4dea22b3-1d52-d8f3-2516-782e98ab3fa0";
const NETWORK_UUID = "7c2e9d14-88a0-4b5f-b1e3-5d6f7a8b9c0d";

function spec(web: object) {
  return {
    stacks: {
      s: {
        hosts: {
          local: {
            networks: { lab: { type: "nat", subnet: "10.0.0.0/24", dhcpRange: { start: "10.0.0.10", end: "10.0.0.99" }, importUuid: NETWORK_UUID } },
            vms: { web },
          },
        },
      },
    },
  };
}

const build = (web: object) => JSON.parse(synthStack(buildStacks(Testing.app(), parseSpec(spec(web)))[0]).json);

describe("adopting from the spec", () => {
  test("a hand-made VM and network: import blocks; existing disks attached from a pool used by name, nothing created for them", () => {
    const tf = build({
      importUuid: DOMAIN_UUID,
      systemDisk: { path: "/srv/vms/web.qcow2", pool: "vms" },
      dataDisks: { data: { path: "/srv/vms/web-data.raw", format: "raw" }, scratch: { size: "1 GiB" } },
      interfaces: [{ network: "lab", mac: "52:54:00:12:34:56" }],
    });
    expect(tf.import).toEqual([
      { to: "libvirt_network.local_lab", id: NETWORK_UUID },
      { to: "libvirt_domain.local_web", id: DOMAIN_UUID },
    ]);
    expect(Object.keys(tf.resource.libvirt_volume)).toEqual(["local_web_scratch"]);
    expect(tf.resource.libvirt_domain.local_web.devices.disks.map((d: any) => [d.source.volume.volume, d.driver.type])).toEqual([
      ["web.qcow2", "qcow2"],
      ["web-data.raw", "raw"],
      ["${libvirt_volume.local_web_scratch.name}", "qcow2"],
    ]);
  });

  test("a data disk is either new (size) or existing (path)", () => {
    expect(() => parseSpec(spec({ systemDisk: { path: "/srv/vms/web.qcow2" }, dataDisks: { data: { size: "1 GiB", path: "/srv/vms/d.qcow2" } } }))).toThrow(
      "spec spec: stacks.s.hosts.local.vms.web.dataDisks.data: give either size (a new blank disk) or path (an existing volume)",
    );
  });

  test("a bad UUID is refused with the construct path", () => {
    expect(() => buildStacks(Testing.app(), parseSpec(spec({ systemDisk: { path: "/srv/vms/web.qcow2" }, importUuid: "web" })))).toThrow(
      '[s/local/web] importUuid: "web" is not a UUID such as 4dea22b3-1d52-d8f3-2516-782e98ab3fa0 (virsh domuuid <name> prints it)',
    );
  });
});
