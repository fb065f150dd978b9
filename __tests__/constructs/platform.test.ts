import { Architecture, BaseImage, BridgeNetwork, CpuModel, DomainType, Firmware, LibvirtHost, LibvirtStack, VirtualMachine, VirtualMachineProps } from "cdktf-libvirt";
import { errorOf, resources, synth } from "../helpers/synth";

function vmDomain(props: Partial<VirtualMachineProps>) {
  const { tf } = synth((s: LibvirtStack) => {
    const host = new LibvirtHost(s, "local");
    new VirtualMachine(host, "vm", { image: new BaseImage(host, "img", { source: "/i.qcow2" }), ...props });
  });
  return resources(tf, "libvirt_domain").local_vm;
}

function vmError(props: Partial<VirtualMachineProps>) {
  return errorOf((s) => {
    const host = new LibvirtHost(s, "local");
    new VirtualMachine(host, "vm", { image: new BaseImage(host, "img", { source: "/i.qcow2" }), ...props });
  });
}

describe("domain type, CPU, architecture and machine", () => {
  test("defaults: KVM, the host's CPU passed through, x86_64 on q35 with the seed on SATA", () => {
    const domain = vmDomain({});
    expect(domain.type).toBe("kvm");
    expect(domain.cpu).toEqual({ mode: "host-passthrough" });
    expect(domain.os).toMatchObject({ type_arch: "x86_64", type_machine: "q35" });
    expect(domain.devices.disks[1].target).toEqual({ dev: "sda", bus: "sata" });
  });

  test("QEMU emulation without a CPU block: QEMU picks its default model", () => {
    const domain = vmDomain({ domainType: DomainType.QEMU });
    expect(domain.type).toBe("qemu");
    expect(domain.cpu).toBeUndefined();
  });

  test.each([
    [CpuModel.hostModel(), { mode: "host-model" }],
    [CpuModel.named("Skylake-Client"), { mode: "custom", model: "Skylake-Client" }],
  ])("CPU %p", (cpu, rendered) => {
    expect(vmDomain({ cpu }).cpu).toEqual(rendered);
  });

  test("a named model under emulation", () => {
    expect(vmDomain({ domainType: DomainType.QEMU, cpu: CpuModel.named("qemu64") }).cpu).toEqual({ mode: "custom", model: "qemu64" });
  });

  test("an explicit machine type", () => {
    expect(vmDomain({ machine: "pc-q35-7.2" }).os.type_machine).toBe("pc-q35-7.2");
  });

  test("aarch64: the virt machine, UEFI, the seed on SCSI", () => {
    const domain = vmDomain({ arch: Architecture.AARCH64, firmware: Firmware.uefi({ loader: "/fw/AAVMF_CODE.fd", nvramTemplate: "/fw/AAVMF_VARS.fd" }) });
    expect(domain.os).toMatchObject({ type_arch: "aarch64", type_machine: "virt", loader: "/fw/AAVMF_CODE.fd" });
    expect(domain.devices.disks[1].target).toEqual({ dev: "sda", bus: "scsi" });
  });

  test("aarch64 without firmware: UEFI with the host's files", () => {
    const domain = vmDomain({ arch: Architecture.AARCH64 });
    expect(domain.os).toMatchObject({ type_arch: "aarch64", type_machine: "virt", loader: "${var.libvirt_uefi_loader}" });
  });

  test.each<[string, Partial<VirtualMachineProps>, string]>([
    [
      "host-passthrough under emulation",
      { domainType: DomainType.QEMU, cpu: CpuModel.hostPassthrough() },
      '[test/local/vm] cpu: host-passthrough needs domainType kvm; QEMU emulation takes a named model (CpuModel.named("qemu64")) or its default',
    ],
    [
      "host-model under emulation",
      { domainType: DomainType.QEMU, cpu: CpuModel.hostModel() },
      '[test/local/vm] cpu: host-model needs domainType kvm; QEMU emulation takes a named model (CpuModel.named("qemu64")) or its default',
    ],
    ["a CPU model with a space", { cpu: CpuModel.named("Skylake Client") }, '[test/local/vm] cpu: "Skylake Client" is not a CPU model name such as Skylake-Client or qemu64'],
    ["an unknown domain type", { domainType: "xen" as DomainType }, "[test/local/vm] domainType: must be one of kvm, qemu (got xen)"],
    ["an unknown architecture", { arch: "riscv64" as Architecture }, "[test/local/vm] arch: must be one of x86_64, aarch64 (got riscv64)"],
    ["a machine type with a space", { machine: "pc q35" }, '[test/local/vm] machine: "pc q35" is not a QEMU machine type such as q35, pc-q35-7.2 or virt'],
    [
      "aarch64 with BIOS",
      { arch: Architecture.AARCH64, firmware: Firmware.bios() },
      "[test/local/vm] firmware: aarch64 guests boot UEFI only: leave firmware unset or give Firmware.uefi()",
    ],
  ])("refused: %s", (_name, props, message) => {
    expect(vmError(props)).toBe(message);
  });
});

describe("DHCP needs a network that serves it", () => {
  test("a DHCP interface on a NAT network without dhcpRange is refused, naming the network and the remedy", () => {
    expect(
      errorOf((s) => {
        const host = new LibvirtHost(s, "local");
        const lab = BridgeNetwork.nat(host, "lab", { subnet: "10.10.10.0/24" });
        new VirtualMachine(host, "vm", { image: new BaseImage(host, "img", { source: "/i.qcow2" }), interfaces: [{ network: lab }] });
      }),
    ).toBe(
      "[test/local/vm] interfaces[0]: network test/local/lab serves no DHCP (a NAT network without dhcpRange), so this interface would get no address: give it addresses, or give the network a dhcpRange",
    );
  });

  test("static addresses on such a network, and DHCP on one with a range or on a host bridge, are fine", () => {
    const { tf } = synth((s) => {
      const host = new LibvirtHost(s, "local");
      const image = new BaseImage(host, "img", { source: "/i.qcow2" });
      const lab = BridgeNetwork.nat(host, "lab", { subnet: "10.10.10.0/24" });
      const dhcpLab = BridgeNetwork.nat(host, "dhcp-lab", { subnet: "10.10.20.0/24", dhcpRange: { start: "10.10.20.100", end: "10.10.20.199" } });
      const lan = BridgeNetwork.fromHostBridge(host, "lan", { bridge: "br0" });
      new VirtualMachine(host, "a", { image, interfaces: [{ network: lab, addresses: ["10.10.10.5/24"] }] });
      new VirtualMachine(host, "b", { image, interfaces: [{ network: dhcpLab }, { network: lan }] });
    });
    expect(Object.keys(resources(tf, "libvirt_domain")).sort()).toEqual(["local_a", "local_b"]);
  });
});

describe("UEFI paths", () => {
  test("given: rendered as they are, no variable", () => {
    const { tf } = synth((s) => {
      const host = new LibvirtHost(s, "local");
      new VirtualMachine(host, "vm", {
        image: new BaseImage(host, "img", { source: "/i.qcow2" }),
        firmware: Firmware.uefi({ loader: "/usr/share/OVMF/OVMF_CODE_4M.fd", nvramTemplate: "/usr/share/OVMF/OVMF_VARS_4M.fd" }),
      });
    });
    expect(resources(tf, "libvirt_domain").local_vm.os).toMatchObject({ loader: "/usr/share/OVMF/OVMF_CODE_4M.fd", nv_ram: { template: "/usr/share/OVMF/OVMF_VARS_4M.fd" } });
    expect(tf.variable).toBeUndefined();
  });

  test("not given: two variables of the stack, declared once for all VMs, read from the host at apply time", () => {
    const { tf } = synth((s) => {
      const host = new LibvirtHost(s, "local");
      const image = new BaseImage(host, "img", { source: "/i.qcow2" });
      for (const name of ["a", "b"]) new VirtualMachine(host, name, { image, firmware: Firmware.uefi() });
    });
    expect(Object.keys(tf.variable)).toEqual(["libvirt_uefi_loader", "libvirt_uefi_nvram_template"]);
    expect(tf.variable.libvirt_uefi_loader.validation).toEqual([{ condition: '${startswith(var.libvirt_uefi_loader, "/")}', error_message: "libvirt_uefi_loader must be an absolute path" }]);
    for (const vm of ["local_a", "local_b"]) expect(resources(tf, "libvirt_domain")[vm].os.loader).toBe("${var.libvirt_uefi_loader}");
  });
});
