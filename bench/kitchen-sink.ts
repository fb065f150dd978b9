// A stack written directly against the bindings that exercises what the post-processing of
// packages/cdktf-libvirt/scripts/generate-bindings.js touches, beyond what the constructs use: blocks set at construction, by
// put* and through reset*; blocks read before (or instead of) being set; empty blocks; blocks whose keys
// are all undefined; blocks and lists given as tokens; references into nested blocks; config objects
// mutated after construction; overrides. Pinned by a golden file like the fleet (bench/golden.ts).
import { Fn, Lazy, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { Domain } from "../packages/cdktf-libvirt/.gen/providers/libvirt/domain";
import { Network } from "../packages/cdktf-libvirt/.gen/providers/libvirt/network";
import { Pool } from "../packages/cdktf-libvirt/.gen/providers/libvirt/pool";
import { LibvirtProvider } from "../packages/cdktf-libvirt/.gen/providers/libvirt/provider";
import { Volume } from "../packages/cdktf-libvirt/.gen/providers/libvirt/volume";

export class KitchenSinkStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const provider = new LibvirtProvider(this, "provider", { uri: "qemu:///system" });
    const pool = new Pool(this, "pool", { provider, name: "p", type: "dir", target: { path: "/srv/p", permissions: {} } });
    const net = new Network(this, "net", {
      provider,
      name: "n",
      ips: [{ address: "10.0.0.1", prefix: 24, dhcp: { ranges: [{ start: "10.0.0.10", end: "10.0.0.20" }] } }],
    });
    const base = new Volume(this, "base", { provider, name: "base.qcow2", pool: pool.name, target: { format: { type: "qcow2" } } });
    const disk = new Volume(this, "disk", {
      provider,
      name: "disk.qcow2",
      pool: pool.name,
      capacity: 10,
      backingStore: { path: base.path, format: { type: "qcow2" } },
    });

    const cpu = { mode: "host-model", topology: { sockets: 1, cores: 2, threads: 1 } };
    const a = new Domain(this, "a", {
      provider,
      name: "a",
      type: "kvm",
      memory: 1024,
      metadata: { xml: "<x/>" },
      cpu,
      memoryBacking: {}, // an empty block stays an empty block
      blockIoTune: { weight: undefined }, // only undefined keys: no block at all
      clock: { offset: undefined }, // the same, then put below
      features: { acpi: true, apic: {} },
      os: { type: "hvm", nvRam: { nvRam: "/var/lib/nv/a.fd", template: "/t.fd" }, bootDevices: [{ dev: "hd" }, { dev: "cdrom" }] },
      devices: {
        disks: [
          { source: { file: { file: "/img/a.qcow2" } }, target: { dev: "vda", bus: "virtio" }, driver: { name: "qemu", type: "qcow2", cache: "none" } },
          { source: { volume: { pool: pool.name, volume: disk.name } }, target: { dev: "vdb" } },
        ],
        interfaces: [{ source: { network: { network: net.name } }, model: { type: "virtio" } }],
        graphics: [{ vnc: { autoPort: true, listen: "127.0.0.1" } }],
        videos: [{ model: { type: "virtio", heads: 1 } }],
        rngs: [{ model: "virtio", backend: { random: "/dev/urandom" } }],
      },
    });
    cpu.mode = "host-passthrough"; // after construction: the bindings copied the block, so no effect
    a.putClock({ offset: "utc", timer: [{ name: "rtc", tickPolicy: "catchup" }] });
    a.putPm({ suspendToMem: { enabled: "no" } });
    a.resetMemoryTune();
    a.putMemoryTune({ hardLimit: 1 });
    a.resetMemoryTune(); // set, then reset: gone
    void a.numaTune; // read, never set: nothing
    void a.devices.filesystems;
    a.features.putHap({ state: "on" });
    a.addOverride("devices.disks.0.driver.discard", "unmap");

    const b = new Domain(this, "b", {
      provider,
      name: "b",
      type: "qemu",
      memory: 512,
      os: Lazy.anyValue({ produce: () => ({ type: "hvm" }) }) as never, // a whole block as a token
      devices: { disks: Lazy.anyValue({ produce: () => [{ target: { dev: "vda" } }] }) as never, consoles: [] },
      update: { shutdown: { timeout: 30 } },
    });
    b.devices.putSerials([{ target: { port: 0 } }]);

    new TerraformOutput(this, "refs", {
      value: {
        uuid: a.uuid,
        firstDiskDev: a.devices.disks.get(0).target.dev,
        arch: a.os.typeArch,
        vcpus: Fn.lengthOf(b.devices.serials),
        pathOfBase: base.path,
      },
    });
  }
}
