import { Testing } from "cdktf";
import {
  BaseImage,
  BridgeNetwork,
  Firmware,
  Graphics,
  LibvirtHost,
  LibvirtStack,
  RemovalPolicy,
  Secret,
  Size,
  VirtualMachine,
  VirtualMachineGroup,
  Volume,
} from "cdktf-libvirt";
import { resources, synth } from "../helpers/synth";

function basics(s: LibvirtStack, hostId = "local") {
  const host = new LibvirtHost(s, hostId);
  return { host, image: new BaseImage(host, "img", { source: "/i.qcow2" }), br0: BridgeNetwork.fromHostBridge(host, "br0", { bridge: "br0" }) };
}

describe("VirtualMachine", () => {
  test("defaults: 2048 MiB, 1 vCPU, 20 GiB system disk, BIOS, running, autostart, serial console, guest agent, graceful shutdown", () => {
    const { tf } = synth((s) => {
      const { host, image } = basics(s);
      new VirtualMachine(host, "vm", { image });
    });
    const domain = resources(tf, "libvirt_domain").local_vm;
    expect(domain).toMatchObject({ memory: 2048, memory_unit: "MiB", vcpu: 1, running: true, autostart: true });
    expect(domain.os.loader).toBeUndefined();
    expect(domain.devices.serials).toEqual([{ target: { port: 0 } }]);
    expect(domain.devices.consoles).toEqual([{ target: { type: "serial", port: 0 } }]);
    // no mode: a stopped domain reads back without one (provider 0.9.7 would taint it)
    expect(domain.devices.channels).toEqual([{ source: { unix: {} }, target: { virt_io: { name: "org.qemu.guest_agent.0" } } }]);
    expect(domain.devices.graphics).toBeUndefined();
    expect(domain.update).toEqual({ shutdown: { timeout: 120 } });
    expect(domain.destroy).toEqual({ shutdown: { timeout: 120 } });
    expect(resources(tf, "libvirt_volume").local_vm_SystemDisk).toMatchObject({ capacity: 20, capacity_unit: "GiB" });
  });

  test("UEFI paths are configurable and rendered together", () => {
    const { tf } = synth((s) => {
      const { host, image } = basics(s);
      new VirtualMachine(host, "vm", {
        image,
        firmware: Firmware.uefi({ loader: "/opt/ovmf/CODE.fd", nvramTemplate: "/opt/ovmf/VARS.fd", nvramDir: "/srv/nvram/" }),
      });
    });
    expect(resources(tf, "libvirt_domain").local_vm.os).toMatchObject({
      loader: "/opt/ovmf/CODE.fd",
      loader_readonly: "yes",
      loader_type: "pflash",
      nv_ram: { nv_ram: "/srv/nvram/vm_VARS.fd", template: "/opt/ovmf/VARS.fd" },
    });
  });

  test("SPICE graphics, no guest agent, not running, custom timeout", () => {
    const { tf } = synth((s) => {
      const { host, image } = basics(s);
      new VirtualMachine(host, "vm", { image, graphics: Graphics.spice({ listen: "0.0.0.0" }), guestAgent: false, running: false, shutdownTimeoutSeconds: 30 });
    });
    const domain = resources(tf, "libvirt_domain").local_vm;
    expect(domain.devices.graphics).toEqual([{ spice: { auto_port: true, listen: "0.0.0.0" } }]);
    expect(domain.devices.channels).toBeUndefined();
    expect(domain.running).toBe(false);
    expect(domain.update.shutdown.timeout).toBe(30);
    expect(resources(tf, "libvirt_cloudinit_disk").local_vm_CloudInit_seed.user_data).not.toContain("qemu-guest-agent");
  });

  test("MACs are derived stably from host, VM and NIC, lowercase, and differ per NIC", () => {
    const macs = () => {
      const { tf } = synth((s) => {
        const { host, image, br0 } = basics(s);
        new VirtualMachine(host, "vm", { image, interfaces: [{ network: br0 }, { network: br0 }, { network: br0, mac: "52:54:00:AB:CD:EF" }] });
      });
      return resources(tf, "libvirt_domain").local_vm.devices.interfaces.map((i: any) => i.mac.address);
    };
    const first = macs();
    expect(first).toEqual(macs());
    expect(new Set(first).size).toBe(3);
    expect(first[2]).toBe("52:54:00:ab:cd:ef");
    first.forEach((mac: string) => expect(mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/));
  });

  test("derived MACs do not depend on the stack's name, so renaming a stack keeps them", () => {
    const macIn = (stackName: string) => {
      const stack = new LibvirtStack(Testing.app(), stackName);
      const { host, image, br0 } = basics(stack);
      return new VirtualMachine(host, "vm", { image, interfaces: [{ network: br0 }] }).macAddresses;
    };
    expect(macIn("prod")).toEqual(macIn("lab"));
  });

  test("disks added later still reach the domain, in order", () => {
    const { tf } = synth((s) => {
      const { host, image } = basics(s);
      const vm = new VirtualMachine(host, "vm", { image });
      vm.addDisk(Volume.blank(vm, "logs", { size: Size.gibibytes(5) }));
      vm.addDisk(Volume.blank(vm, "data", { size: Size.gibibytes(50), removalPolicy: RemovalPolicy.DESTROY }));
    });
    const disks = resources(tf, "libvirt_domain").local_vm.devices.disks;
    expect(disks.map((d: any) => [d.target.dev, d.source.volume.volume])).toEqual([
      ["vda", "${libvirt_volume.local_vm_SystemDisk.name}"],
      ["vdb", "${libvirt_volume.local_vm_logs.name}"],
      ["vdc", "${libvirt_volume.local_vm_data.name}"],
      ["sda", "${libvirt_volume.local_vm_CloudInit.name}"],
    ]);
  });

  test("a NIC added later reaches the domain, the guest's network-config, the address lookup and the output", () => {
    let macs: string[] = [];
    let sources: string[] = [];
    const { tf } = synth((s) => {
      const { host, image, br0 } = basics(s);
      const lab = BridgeNetwork.nat(host, "lab", { subnet: "10.1.0.0/24" });
      sources = [lab.addressSource, br0.addressSource];
      const vm = new VirtualMachine(host, "vm", { image, waitForAddress: true });
      vm.addInterface({ network: lab, addresses: ["10.1.0.5/24"], gateway4: "10.1.0.1" });
      vm.addInterface({ network: br0 });
      macs = vm.macAddresses;
    });
    const domain = resources(tf, "libvirt_domain").local_vm;
    expect(domain.devices.interfaces.map((i: any) => [i.mac.address, i.wait_for_ip.source])).toEqual([
      [macs[0], sources[0]],
      [macs[1], sources[1]],
    ]);
    const networkConfig = Object.values(resources(tf, "libvirt_cloudinit_disk"))[0].network_config;
    expect(networkConfig).toContain(`macaddress: ${macs[0]}`);
    expect(networkConfig).toContain("- 10.1.0.5/24");
    expect(networkConfig).toContain(`macaddress: ${macs[1]}`);
    expect(tf.data.libvirt_domain_interface_addresses.local_vm.source).toBe(sources[0]);
    expect(tf.output.local_vm.value.macs).toEqual(macs);
    expect(tf.output.local_vm.value.addresses).toContain(JSON.stringify(macs));
  });

  test("waitForAddress asks the guest agent on a host bridge", () => {
    const { tf } = synth((s) => {
      const { host, image, br0 } = basics(s);
      new VirtualMachine(host, "vm", { image, interfaces: [{ network: br0 }], waitForAddress: true });
    });
    expect(resources(tf, "libvirt_domain").local_vm.devices.interfaces[0].wait_for_ip).toEqual({ timeout: 300, source: "agent" });
  });

  test("a secret password hash becomes a sensitive variable, not a literal", () => {
    const { tf } = synth((s) => {
      const { host, image } = basics(s);
      new VirtualMachine(host, "vm", { image, cloudInit: { users: [{ name: "ops", passwordHash: Secret.fromVariable(host, "ops_password_hash") }] } });
    });
    expect(tf.variable.ops_password_hash).toEqual({ type: "string", sensitive: true, description: "secret ops_password_hash, from TF_VAR_ops_password_hash" });
    expect(resources(tf, "libvirt_cloudinit_disk").local_vm_CloudInit_seed.user_data).toContain('hashed_passwd: "${var.ops_password_hash}"');
  });

  test("shell text in user-data is escaped so Terraform does not read it as an expression", () => {
    const { tf } = synth((s) => {
      const { host, image } = basics(s);
      new VirtualMachine(host, "vm", { image, cloudInit: { runcmd: ["echo ${HOME} %{x}"] } });
    });
    expect(resources(tf, "libvirt_cloudinit_disk").local_vm_CloudInit_seed.user_data).toContain("echo $${HOME} %%{x}");
  });

  test("one stack can hold several hypervisors, each with its own provider alias", () => {
    const { tf } = synth((s) => {
      for (const [id, uri] of [["kvm1", "qemu+ssh://deploy@kvm1/system"], ["kvm2", "qemu+sshcmd://deploy@kvm2/system"]]) {
        const host = new LibvirtHost(s, id, { uri });
        new VirtualMachine(host, "web", { image: new BaseImage(host, "img", { source: "/i.qcow2" }) });
      }
    });
    expect(tf.provider.libvirt).toEqual([
      { alias: "kvm1", uri: "qemu+ssh://deploy@kvm1/system" },
      { alias: "kvm2", uri: "qemu+sshcmd://deploy@kvm2/system" },
    ]);
    const domains = resources(tf, "libvirt_domain");
    expect([domains.kvm1_web.provider, domains.kvm2_web.provider]).toEqual(["libvirt.kvm1", "libvirt.kvm2"]);
  });

  test("a bad URI is refused", () => {
    expect(() => synth((s) => new LibvirtHost(s, "remote", { uri: "ssh://kvm1" }))).toThrow(
      '[test/remote] uri: "ssh://kvm1" is not a libvirt URI like qemu:///system or qemu+ssh://user@host/system',
    );
  });
});

describe("VirtualMachineGroup", () => {
  test("N identical VMs named from the prefix, each with its own data disk and the next address", () => {
    let group: VirtualMachineGroup | undefined;
    const { tf } = synth((s) => {
      const { host, image } = basics(s);
      const lan = BridgeNetwork.fromHostBridge(host, "lan", { bridge: "br0", subnets: ["192.168.1.0/24"], gateway4: "192.168.1.1" });
      group = new VirtualMachineGroup(host, "web", {
        count: 3,
        hostnamePrefix: "web",
        image,
        vcpus: 2,
        interfaces: [{ network: lan, addressRange: { start: "192.168.1.100/24", end: "192.168.1.110" } }],
        dataDisks: [{ id: "data", size: Size.gibibytes(10) }],
      });
    });
    const domains = resources(tf, "libvirt_domain");
    expect(Object.values(domains).map((d: any) => [d.name, d.vcpu])).toEqual([["web-1", 2], ["web-2", 2], ["web-3", 2]]);
    const seeds = resources(tf, "libvirt_cloudinit_disk");
    expect([1, 2, 3].map((n) => /- (192\.168\.1\.\d+\/24)/.exec(seeds[`local_web_web-${n}_CloudInit_seed`].network_config)![1])).toEqual([
      "192.168.1.100/24",
      "192.168.1.101/24",
      "192.168.1.102/24",
    ]);
    expect(resources(tf, "libvirt_volume")["local_web_web-2_data"]).toMatchObject({ name: "web-2-data.qcow2", capacity: 10, lifecycle: { prevent_destroy: true } });
    expect(group!.vms.map((vm) => [vm.name, vm.staticAddresses])).toEqual([
      ["web-1", ["192.168.1.100/24"]],
      ["web-2", ["192.168.1.101/24"]],
      ["web-3", ["192.168.1.102/24"]],
    ]);
  });

  test("IPv6 ranges allocate too", () => {
    const { tf } = synth((s) => {
      const { host, image, br0 } = basics(s);
      new VirtualMachineGroup(host, "v6", { count: 2, hostnamePrefix: "v6", image, interfaces: [{ network: br0, addressRange: { start: "2001:db8::10/64" }, gateway6: "2001:db8::1" }] });
    });
    const seeds = resources(tf, "libvirt_cloudinit_disk");
    expect(seeds["local_v6_v6-2_CloudInit_seed"].network_config).toContain("- 2001:db8::11/64");
    expect(seeds["local_v6_v6-2_CloudInit_seed"].network_config).toContain("gateway6: 2001:db8::1");
  });
});
