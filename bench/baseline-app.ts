// The benchmark's baseline: the fleet of bench/stacks.ts (per VM an overlay volume, a cloud-init seed and
// a domain on br0) written directly against the generated bindings in .gen/, with no constructs and no
// validation. It derives MACs and renders the cloud-init documents with the constructs' own functions
// (plain functions, no constructs: a string template would differ wherever YAML 1.1 needs quotes, e.g.
// for ~1% of MACs), and synthesizes through the same stack class, LibvirtStack (its backend and its
// synthesis path). So it synthesizes the same JSON as FleetStack (bench/run.ts and the golden test check
// that), and the difference in cost is what the constructs add.
//   CDKTF_OUTDIR=out BENCH_VMS=100 node bench/work/js-after/bench/baseline-app.js
import { App, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { CloudinitDisk } from "../packages/cdktf-libvirt/.gen/providers/libvirt/cloudinit-disk";
import { DataLibvirtDomainInterfaceAddresses } from "../packages/cdktf-libvirt/.gen/providers/libvirt/data-libvirt-domain-interface-addresses";
import { Domain } from "../packages/cdktf-libvirt/.gen/providers/libvirt/domain";
import { LibvirtProvider } from "../packages/cdktf-libvirt/.gen/providers/libvirt/provider";
import { Volume } from "../packages/cdktf-libvirt/.gen/providers/libvirt/volume";
import { renderMetaData, renderNetworkConfig, renderUserData } from "../packages/cdktf-libvirt/src/cloud-init";
import { PROVIDER_VERSIONS } from "../packages/cdktf-libvirt/src/provider-version";
import { LibvirtStack } from "../packages/cdktf-libvirt/src/libvirt-stack";
import { derivedMac } from "../packages/cdktf-libvirt/src/names";

export class BaselineFleetStack extends LibvirtStack {
  constructor(scope: Construct, id: string, vms: number) {
    super(scope, id);
    const host = new Construct(this, "local");
    const provider = new LibvirtProvider(host, "Provider", { uri: "qemu:///system", alias: "local" });
    Object.assign(provider, { terraformGeneratorMetadata: { ...provider.terraformGeneratorMetadata, providerVersion: PROVIDER_VERSIONS } });
    const debian = new Volume(new Construct(host, "debian"), "Resource", {
      provider,
      name: "debian.qcow2",
      pool: "default",
      target: { format: { type: "qcow2" } },
      create: { content: { url: "/var/lib/libvirt/images/debian-12.qcow2" } },
      lifecycle: { preventDestroy: true },
    });
    debian.overrideLogicalId("local_debian");
    new Construct(host, "br0");

    for (let i = 0; i < vms; i++) {
      const name = `vm-${i}`;
      const id = `local_${name}`;
      const vm = new Construct(host, name);
      const address = derivedMac(`${host.node.id}/${name}/0`);

      const system = new Volume(new Construct(vm, "SystemDisk"), "Resource", {
        provider,
        name: `${name}-system.qcow2`,
        pool: "default",
        capacity: 100,
        capacityUnit: "GiB",
        target: { format: { type: "qcow2" } },
        backingStore: { path: debian.path, format: { type: "qcow2" } },
        lifecycle: { preventDestroy: true, ignoreChanges: ["capacity", "capacity_unit", "backing_store"] },
      });
      system.overrideLogicalId(`${id}_SystemDisk`);

      const cloudInit = new Construct(vm, "CloudInit");
      const seed = new CloudinitDisk(cloudInit, "Seed", {
        provider,
        name: `${name}-seed`,
        userData: renderUserData({ hostname: name, packages: ["qemu-guest-agent"], runcmd: [["systemctl", "enable", "--now", "qemu-guest-agent"]] }, () => ""),
        metaData: renderMetaData(name),
        networkConfig: renderNetworkConfig([{ mac: address }]),
      });
      seed.overrideLogicalId(`${id}_CloudInit_seed`);
      const seedVolume = new Volume(cloudInit, "Volume", {
        provider,
        name: `${name}-seed.iso`,
        pool: "default",
        create: { content: { url: seed.path } },
        lifecycle: { replaceTriggeredBy: [`libvirt_cloudinit_disk.${id}_CloudInit_seed`] },
      });
      seedVolume.overrideLogicalId(`${id}_CloudInit`);
      seedVolume.addOverride("//.cdktf-libvirt.disposable", "cloud-init seed, rebuilt from the configuration");

      const domain = new Domain(vm, "Resource", {
        provider,
        name,
        type: "kvm",
        memory: 2048,
        memoryUnit: "MiB",
        vcpu: 1,
        running: true,
        autostart: true,
        cpu: { mode: "host-passthrough" },
        features: { acpi: true },
        os: { type: "hvm", typeArch: "x86_64", typeMachine: "q35", bootDevices: [{ dev: "hd" }] },
        devices: {
          disks: [
            {
              source: { volume: { pool: "default", volume: system.name } },
              target: { dev: "vda", bus: "virtio" },
              driver: { type: "qcow2" },
            },
            { device: "cdrom", source: { volume: { pool: "default", volume: seedVolume.name } }, target: { dev: "sda", bus: "sata" } },
          ],
          interfaces: [{ source: { bridge: { bridge: "br0" } }, model: { type: "virtio" }, mac: { address } }],
          serials: [{ target: { port: 0 } }],
          consoles: [{ target: { type: "serial", port: 0 } }],
          channels: [{ source: { unix: {} }, target: { virtIo: { name: "org.qemu.guest_agent.0" } } }],
        },
        update: { shutdown: { timeout: 120 } },
        destroy: { shutdown: { timeout: 120 } },
      });
      domain.overrideLogicalId(id);

      const addresses = new DataLibvirtDomainInterfaceAddresses(vm, "Addresses", { provider, domain: domain.uuid, source: "agent" });
      addresses.overrideLogicalId(id);
      new TerraformOutput(vm, "Output", {
        description: `name and addresses of VM ${name}`,
        value: {
          name: domain.name,
          macs: [address],
          addresses: `\${flatten([for i in data.libvirt_domain_interface_addresses.${id}.interfaces : [for a in i.addrs : a.addr if !startswith(a.addr, "fe80:") && !startswith(a.addr, "169.254.")] if contains(["${address}"], i.hwaddr)])}`,
        },
      }).overrideLogicalId(id);
    }
  }
}

if (require.main === module) {
  const app = new App();
  const vms = Number(process.env.BENCH_VMS ?? 1000);
  new BaselineFleetStack(app, `fleet-${vms}`, vms);
  app.synth();
}
