import * as fs from "fs";
import * as path from "path";
import { App, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { Resource as NullResource } from "@cdktf/provider-null/lib/resource";
import { CloudinitDisk } from "../../packages/cdktf-libvirt/.gen/providers/libvirt/cloudinit-disk";
import { DataLibvirtDomainInterfaceAddresses } from "../../packages/cdktf-libvirt/.gen/providers/libvirt/data-libvirt-domain-interface-addresses";
import { Domain } from "../../packages/cdktf-libvirt/.gen/providers/libvirt/domain";
import { Network } from "../../packages/cdktf-libvirt/.gen/providers/libvirt/network";
import { Pool } from "../../packages/cdktf-libvirt/.gen/providers/libvirt/pool";
import { LibvirtProvider } from "../../packages/cdktf-libvirt/.gen/providers/libvirt/provider";
import { Volume } from "../../packages/cdktf-libvirt/.gen/providers/libvirt/volume";
import { checkStack, loadProviderSchemas } from "../../schema-check";
import { expectValidAgainstProviderSchema } from "../helpers/schema";

const schemas = loadProviderSchemas();

/** The guide's sections 1–8 written with the generated bindings, plus a null provider resource. */
function buildTestvm(stack: TerraformStack): Domain {
  new LibvirtProvider(stack, "libvirt", { uri: "qemu:///system" });
  const kvm1 = new LibvirtProvider(stack, "kvm1", { alias: "kvm1", uri: "qemu+sshcmd://deploy@kvm1.lan/system?proxy=auto" });
  const pool = new Pool(stack, "vmstore", {
    name: "vmstore",
    type: "dir",
    target: { path: "/var/lib/libvirt/vmstore" },
    create: { buildAttribute: true, start: true, autostart: true },
    destroy: { delete: false },
  });
  const base = new Volume(stack, "debian_base", {
    name: "debian-12-genericcloud-amd64-20250101.qcow2",
    pool: pool.name,
    target: { format: { type: "qcow2" } },
    create: { content: { url: "https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2" } },
  });
  const root = new Volume(stack, "vm1_root", {
    name: "vm1-root.qcow2",
    pool: pool.name,
    capacity: 20,
    capacityUnit: "GiB",
    target: { format: { type: "qcow2" } },
    backingStore: { path: base.path, format: { type: "qcow2" } },
    lifecycle: { replaceTriggeredBy: [base], ignoreChanges: ["capacity", "capacity_unit"] },
  });
  const seed = new CloudinitDisk(stack, "vm1_seed", {
    name: "vm1-seed",
    userData: "#cloud-config\npackages: [qemu-guest-agent]\n",
    metaData: "instance-id: vm1-0001\nlocal-hostname: vm1\n",
  });
  const seedVolume = new Volume(stack, "vm1_seed_volume", {
    name: "vm1-seed.iso",
    pool: pool.name,
    create: { content: { url: seed.path } },
  });
  const network = new Network(stack, "lab_nat", {
    name: "lab-nat",
    autostart: true,
    forward: { mode: "nat" },
    ips: [{ address: "10.10.10.1", prefix: 24, dhcp: { ranges: [{ start: "10.10.10.100", end: "10.10.10.199" }] } }],
    provider: kvm1,
  });
  const vm = new Domain(stack, "vm1", {
    name: "vm1",
    type: "kvm",
    memory: 4,
    memoryUnit: "GiB",
    vcpu: 2,
    running: true,
    autostart: true,
    cpu: { mode: "host-passthrough" },
    features: { acpi: true },
    os: {
      type: "hvm",
      typeArch: "x86_64",
      typeMachine: "q35",
      loader: "/run/libvirt/nix-ovmf/OVMF_CODE.fd",
      loaderReadonly: "yes",
      loaderType: "pflash",
      nvRam: { nvRam: "/var/lib/libvirt/qemu/nvram/vm1_VARS.fd", template: "/run/libvirt/nix-ovmf/OVMF_VARS.fd" },
      bootDevices: [{ dev: "hd" }],
    },
    devices: {
      disks: [
        { source: { volume: { pool: root.pool, volume: root.name } }, target: { dev: "vda", bus: "virtio" }, driver: { type: "qcow2" } },
        { device: "cdrom", source: { volume: { pool: seedVolume.pool, volume: seedVolume.name } }, target: { dev: "sda", bus: "sata" } },
      ],
      interfaces: [
        {
          source: { bridge: { bridge: "br0" } },
          model: { type: "virtio" },
          mac: { address: "52:54:00:10:00:01" },
          waitForIp: { timeout: 300, source: "agent" },
        },
        { source: { network: { network: network.name } }, mac: { address: "52:54:00:10:00:02" } },
      ],
      channels: [{ source: { unix: { mode: "bind" } }, target: { virtIo: { name: "org.qemu.guest_agent.0" } } }],
      serials: [{ target: { port: 0 } }],
      consoles: [{ target: { type: "serial", port: 0 } }],
      graphics: [{ vnc: { autoPort: true, listen: "127.0.0.1" } }],
    },
    update: { shutdown: { timeout: 120 } },
    destroy: { shutdown: { timeout: 120 } },
    dependsOn: [seedVolume],
  });
  const addresses = new DataLibvirtDomainInterfaceAddresses(stack, "vm1_addresses", { domain: vm.uuid, source: "agent" });
  new TerraformOutput(stack, "vm1_interfaces", { value: addresses.interfaces });
  new NullProvider(stack, "null");
  new NullResource(stack, "marker", { triggers: { uuid: vm.uuid } });
  return vm;
}

describe("stacks synthesized from the generated bindings", () => {
  it("match the schema (Testing.synth output, via the shared helper)", () => {
    const stack = new TerraformStack(Testing.app(), "testvm");
    buildTestvm(stack);
    const json = Testing.synth(stack, true);
    expect(checkStack(JSON.parse(json), schemas)).toEqual([]);
    expect(() => expectValidAgainstProviderSchema(json)).not.toThrow();
    expect(() => expectValidAgainstProviderSchema(JSON.parse(json))).not.toThrow();
  });

  it("match the schema as written by a full synth, with cdktf's // metadata", () => {
    const outdir = fs.mkdtempSync(path.join(require("os").tmpdir(), "schema-check-"));
    try {
      const app = new App({ outdir });
      buildTestvm(new TerraformStack(app, "testvm"));
      app.synth();
      const stack = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "testvm", "cdk.tf.json"), "utf8"));
      expect(stack.resource.libvirt_domain.vm1["//"]).toBeDefined();
      expect(checkStack(stack, schemas)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("makes the helper throw with every issue listed", () => {
    const stack = new TerraformStack(Testing.app(), "broken");
    const vm = buildTestvm(stack);
    vm.addOverride("memory", "4GiB");
    vm.addOverride("devices.interfaces.0.type", "network");
    expect(() => expectValidAgainstProviderSchema(Testing.synth(stack))).toThrow(
      [
        "stack does not match the provider schema (2 issue(s)):",
        `  resource.libvirt_domain.vm1.devices.interfaces[0].type: unknown attribute "type": not in the schema, so Terraform would drop it silently`,
        `  resource.libvirt_domain.vm1.memory: expected number, got string "4GiB"`,
      ].join("\n")
    );
  });
});
