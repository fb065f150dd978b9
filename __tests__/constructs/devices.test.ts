// Shares, TPM, huge pages, CPU pinning and NUMA: the exact provider JSON (checked against its schema by
// synth), the first-boot mounts, through TypeScript and the spec, and bad input with exact messages.
import { Testing } from "cdktf";
import { Architecture, BaseImage, BridgeNetwork, HostDevice, LibvirtHost, LibvirtStack, NumaMode, ShareDriver, Size, VirtualMachine, type VirtualMachineProps } from "cdktf-libvirt";
import { buildStacks, parseSpec } from "../../stack-spec";
import { withVm } from "../helpers/spec";
import { errorOf, resources, synth, synthStack } from "../helpers/synth";

function vm(props: Partial<VirtualMachineProps>) {
  return (s: LibvirtStack) => {
    const host = new LibvirtHost(s, "local");
    const image = new BaseImage(host, "img", { source: "/i.qcow2" });
    new VirtualMachine(host, "vm", { image, interfaces: [{ network: BridgeNetwork.fromHostBridge(host, "br0", { bridge: "br0" }) }], ...props });
  };
}
const domainOf = (props: Partial<VirtualMachineProps>) => resources(synth(vm(props)).tf, "libvirt_domain").local_vm;
const userData = (props: Partial<VirtualMachineProps>) => Object.values(resources(synth(vm(props)).tf, "libvirt_cloudinit_disk"))[0].user_data as string;

describe("shares", () => {
  test("virtiofs (the default) gets shared memory from a memfd; 9p needs none; both are filesystem devices", () => {
    const domain = domainOf({
      shares: [
        { hostPath: "/srv/work", tag: "work" },
        { hostPath: "/srv/docs", tag: "docs", driver: ShareDriver.NINE_P, readOnly: true },
      ],
    });
    expect(domain.devices.filesystems).toEqual([
      { access_mode: "passthrough", driver: { type: "virtiofs" }, source: { mount: { dir: "/srv/work" } }, target: { dir: "work" } },
      { access_mode: "mapped", driver: { type: "path" }, source: { mount: { dir: "/srv/docs" } }, target: { dir: "docs" }, read_only: true },
    ]);
    expect(domain.memory_backing).toEqual({ memory_source: { type: "memfd" }, memory_access: { mode: "shared" } });
  });

  test("a host path reaches Terraform literally", () => {
    expect(domainOf({ shares: [{ hostPath: "/srv/${x}/%{y}", tag: "w" }] }).devices.filesystems[0].source).toEqual({ mount: { dir: "/srv/$${x}/%%{y}" } });
  });

  test("9p alone leaves memory as it is; no shares render no devices", () => {
    expect(domainOf({ shares: [{ hostPath: "/srv/docs", tag: "docs", driver: ShareDriver.NINE_P }] }).memory_backing).toBeUndefined();
    const plain = domainOf({});
    expect(plain.devices.filesystems).toBeUndefined();
    expect(plain.memory_backing).toBeUndefined();
  });

  test("a mount point becomes an fstab line and a mount on first boot, before the guest agent starts", () => {
    const text = userData({
      shares: [
        { hostPath: "/srv/work", tag: "work", mountPoint: "/mnt/work" },
        { hostPath: "/srv/docs", tag: "docs", driver: ShareDriver.NINE_P, readOnly: true, mountPoint: "/mnt/docs" },
        { hostPath: "/srv/raw", tag: "raw" },
      ],
    });
    const runcmd = text.slice(text.indexOf("runcmd:"));
    expect(runcmd).toBe(
      [
        "runcmd:",
        "  - - mkdir",
        "    - -p",
        "    - /mnt/work",
        "  - - sh",
        "    - -c",
        '    - printf "%s %s %s %s 0 0\\n" "$1" "$2" "$3" "$4" >> /etc/fstab && mount "$2"',
        "    - sh",
        "    - work",
        "    - /mnt/work",
        "    - virtiofs",
        "    - defaults,rw,nofail",
        "  - - mkdir",
        "    - -p",
        "    - /mnt/docs",
        "  - - sh",
        "    - -c",
        '    - printf "%s %s %s %s 0 0\\n" "$1" "$2" "$3" "$4" >> /etc/fstab && mount "$2"',
        "    - sh",
        "    - docs",
        "    - /mnt/docs",
        "    - 9p",
        "    - trans=virtio,version=9p2000.L,msize=524288,ro,nofail",
        "  - - systemctl",
        "    - enable",
        "    - --now",
        "    - qemu-guest-agent",
        "",
      ].join("\n"),
    );
  });

  test.each<[Partial<VirtualMachineProps>, string]>([
    [{ shares: [{ hostPath: "srv/work", tag: "work" }] }, '[test/local/vm] shares[0].hostPath: "srv/work" must be an absolute path without whitespace'],
    [{ shares: [{ hostPath: "/srv/my work", tag: "work" }] }, '[test/local/vm] shares[0].hostPath: "/srv/my work" must be an absolute path without whitespace'],
    [{ shares: [{ hostPath: "/srv/w", tag: "" }] }, '[test/local/vm] shares[0].tag: "" must be 1-36 letters, digits, ".", "_" or "-"'],
    [{ shares: [{ hostPath: "/srv/w", tag: "a b" }] }, '[test/local/vm] shares[0].tag: "a b" must be 1-36 letters, digits, ".", "_" or "-"'],
    [{ shares: [{ hostPath: "/srv/w", tag: "x".repeat(37) }] }, `[test/local/vm] shares[0].tag: "${"x".repeat(37)}" must be 1-36 letters, digits, ".", "_" or "-"`],
    [{ shares: [{ hostPath: "/srv/w", tag: "w", readOnly: true }] }, "[test/local/vm] shares[0].readOnly: libvirt before 11 cannot export a virtiofs share read-only: use ShareDriver.NINE_P for a read-only share"],
    [{ shares: [{ hostPath: "/srv/w", tag: "w", mountPoint: "/" }] }, '[test/local/vm] shares[0].mountPoint: "/" must be an absolute path below / without whitespace'],
    [{ shares: [{ hostPath: "/srv/w", tag: "w", mountPoint: "mnt" }] }, '[test/local/vm] shares[0].mountPoint: "mnt" must be an absolute path below / without whitespace'],
    [{ shares: [{ hostPath: "/srv/w", tag: "w", driver: "nfs" as ShareDriver }] }, "[test/local/vm] shares[0].driver: must be one of virtiofs, 9p (got nfs)"],
    [
      { shares: [{ hostPath: "/srv/a", tag: "w" }, { hostPath: "/srv/b", tag: "w", driver: ShareDriver.NINE_P }] },
      '[test/local/vm] shares[1].tag: "w" is already the tag of shares[0]',
    ],
  ])("refused: %j", (props, message) => {
    expect(errorOf(vm(props))).toBe(message);
  });
});

describe("TPM", () => {
  test("a swtpm TPM 2.0: CRB on x86_64, TIS on aarch64", () => {
    expect(domainOf({ tpm: true }).devices.tpms).toEqual([{ model: "tpm-crb", backend: { emulator: { version: "2.0" } } }]);
    expect(domainOf({ tpm: true, arch: Architecture.AARCH64 }).devices.tpms).toEqual([{ model: "tpm-tis", backend: { emulator: { version: "2.0" } } }]);
    expect(domainOf({ tpm: false }).devices.tpms).toBeUndefined();
  });
});

describe("huge pages, pinning and NUMA", () => {
  test("the provider's memory_backing, cpu_tune and numa_tune", () => {
    const domain = domainOf({
      memory: Size.gibibytes(4),
      vcpus: 2,
      hugePages: Size.gibibytes(1),
      cpuPinning: { vcpus: ["2", "3"], emulator: "0-1" },
      numa: { nodeset: "0", mode: NumaMode.PREFERRED },
    });
    expect(domain.memory_backing).toEqual({ memory_huge_pages: { hugepages: [{ size: 1048576, unit: "KiB" }] } });
    expect(domain.cpu_tune).toEqual({ vcpu_pin: [{ vcpu: 0, cpu_set: "2" }, { vcpu: 1, cpu_set: "3" }], emulator_pin: { cpu_set: "0-1" } });
    expect(domain.numa_tune).toEqual({ memory: { mode: "preferred", nodeset: "0" } });
  });

  test("huge pages with a virtiofs share: shared access, no memfd (huge pages are shareable)", () => {
    expect(domainOf({ hugePages: Size.mebibytes(2), shares: [{ hostPath: "/srv/w", tag: "w" }] }).memory_backing).toEqual({
      memory_huge_pages: { hugepages: [{ size: 2048, unit: "KiB" }] },
      memory_access: { mode: "shared" },
    });
  });

  test("NUMA defaults to strict; emulator pinning alone leaves the vCPUs free", () => {
    expect(domainOf({ numa: { nodeset: "0-1" } }).numa_tune).toEqual({ memory: { mode: "strict", nodeset: "0-1" } });
    expect(domainOf({ cpuPinning: { emulator: "0" } }).cpu_tune).toEqual({ emulator_pin: { cpu_set: "0" } });
  });

  test.each<[Partial<VirtualMachineProps>, string]>([
    [{ hugePages: Size.mebibytes(4) }, "[test/local/vm] hugePages: 4 MiB is not a huge page size (64 KiB, 2 MiB, 32 MiB, 512 MiB, 1 GiB, 16 GiB; x86_64 has 2 MiB and 1 GiB)"],
    [{ hugePages: Size.gibibytes(1), memory: Size.mebibytes(1536) }, "[test/local/vm] hugePages: memory (1536 MiB) must be a whole number of 1 GiB pages"],
    [{ cpuPinning: { vcpus: ["0", "1"] } }, "[test/local/vm] cpuPinning.vcpus: pins 2 vCPUs, but the VM has 1"],
    [{ cpuPinning: { vcpus: ["one"] } }, '[test/local/vm] cpuPinning.vcpus[0]: "one" is not a libvirt CPU set such as "2", "2-3" or "0-7,^4"'],
    [{ cpuPinning: { vcpus: ["3-1"] } }, '[test/local/vm] cpuPinning.vcpus[0]: "3-1": the range 3-1 runs backwards'],
    [{ cpuPinning: { vcpus: ["^2"] } }, '[test/local/vm] cpuPinning.vcpus[0]: "^2" excludes CPUs but includes none'],
    [{ cpuPinning: { emulator: "0,,1" } }, '[test/local/vm] cpuPinning.emulator: "0,,1" is not a libvirt CPU set such as "2", "2-3" or "0-7,^4"'],
    [{ numa: { nodeset: "" } }, '[test/local/vm] numa.nodeset: "" is not a libvirt node set such as "2", "2-3" or "0-7,^4"'],
    [{ numa: { nodeset: "0", mode: "bind" as NumaMode } }, "[test/local/vm] numa.mode: must be one of strict, preferred, interleave, restrictive (got bind)"],
  ])("refused: %j", (props, message) => {
    expect(errorOf(vm(props))).toBe(message);
  });
});

describe("host devices", () => {
  test("a managed PCI device by address and a USB device by vendor and product", () => {
    const domain = domainOf({ hostDevices: [HostDevice.pci("0000:0a:1f.7"), HostDevice.pci("01:00.1"), HostDevice.usb("046D", "c52b")] });
    expect(domain.devices.hostdevs).toEqual([
      { managed: true, subsys_pci: { source: { address: { domain: 0, bus: 10, slot: 31, function: 7 } } } },
      { managed: true, subsys_pci: { source: { address: { domain: 0, bus: 1, slot: 0, function: 1 } } } },
      { subsys_usb: { source: { vendor: { id: "0x046d" }, product: { id: "0xc52b" } } } },
    ]);
    expect(domainOf({}).devices.hostdevs).toBeUndefined();
  });

  test.each<[HostDevice, string]>([
    [HostDevice.pci("1:00.0"), '[test/local/vm] hostDevices[0]: "1:00.0" is not a PCI address such as 0000:01:00.0 (domain:bus:slot.function, as lspci -D prints it)'],
    [HostDevice.pci("0000:01:20.0"), '[test/local/vm] hostDevices[0]: "0000:01:20.0" is not a PCI address such as 0000:01:00.0 (domain:bus:slot.function, as lspci -D prints it)'],
    [HostDevice.pci("0000:01:00.8"), '[test/local/vm] hostDevices[0]: "0000:01:00.8" is not a PCI address such as 0000:01:00.0 (domain:bus:slot.function, as lspci -D prints it)'],
    [HostDevice.pci("01-00.0"), '[test/local/vm] hostDevices[0]: "01-00.0" is not a PCI address such as 0000:01:00.0 (domain:bus:slot.function, as lspci -D prints it)'],
    [HostDevice.usb("46d", "c52b"), '[test/local/vm] hostDevices[0]: "46d:c52b" is not a USB vendor:product pair of 4 hex digits each, such as 046d:c52b (as lsusb prints it)'],
    [HostDevice.usb("046d", "logi"), '[test/local/vm] hostDevices[0]: "046d:logi" is not a USB vendor:product pair of 4 hex digits each, such as 046d:c52b (as lsusb prints it)'],
  ])("refused: %j", (device, message) => {
    expect(errorOf(vm({ hostDevices: [device] }))).toBe(message);
  });

  test("one device cannot go to two VMs of a host, whichever way its address is written", () => {
    const message = errorOf((s) => {
      const host = new LibvirtHost(s, "local");
      const image = new BaseImage(host, "img", { source: "/i.qcow2" });
      new VirtualMachine(host, "a", { image, hostDevices: [HostDevice.pci("0000:01:00.0")] });
      new VirtualMachine(host, "b", { image, hostDevices: [HostDevice.pci("01:00.0")] });
    });
    expect(message).toContain('hostDevices[0]: host device "PCI 0000:01:00.0" is already used by test/local/a');
  });
});

describe("through the spec", () => {
  test("every key reaches the domain as the TypeScript props do", () => {
    const [stack] = buildStacks(
      Testing.app(),
      parseSpec(
        withVm({
          tpm: true,
          hugePages: "2 MiB",
          cpuPinning: { vcpus: ["1"], emulator: "0" },
          numa: { nodeset: "0", mode: "interleave" },
          shares: [{ hostPath: "/srv/docs", tag: "docs", driver: "9p", readOnly: true, mountPoint: "/mnt/docs" }],
          hostDevices: [{ pci: "0000:01:00.0" }, { usb: { vendor: "046d", product: "c52b" } }],
        }),
      ),
    );
    const domain = resources(synthStack(stack).tf, "libvirt_domain").local_testvm;
    expect(domain.devices.tpms).toEqual([{ model: "tpm-crb", backend: { emulator: { version: "2.0" } } }]);
    expect(domain.memory_backing).toEqual({ memory_huge_pages: { hugepages: [{ size: 2048, unit: "KiB" }] } });
    expect(domain.cpu_tune).toEqual({ vcpu_pin: [{ vcpu: 0, cpu_set: "1" }], emulator_pin: { cpu_set: "0" } });
    expect(domain.numa_tune).toEqual({ memory: { mode: "interleave", nodeset: "0" } });
    expect(domain.devices.filesystems).toEqual([
      { access_mode: "mapped", driver: { type: "path" }, source: { mount: { dir: "/srv/docs" } }, target: { dir: "docs" }, read_only: true },
    ]);
    expect(domain.devices.hostdevs).toEqual([
      { managed: true, subsys_pci: { source: { address: { domain: 0, bus: 1, slot: 0, function: 0 } } } },
      { subsys_usb: { source: { vendor: { id: "0x046d" }, product: { id: "0xc52b" } } } },
    ]);
  });

  test.each([
    [{ hugePages: "2 MB" }, 'spec spec: stacks.testvm.hosts.local.vms.testvm.hugePages: must be a size with a binary unit, e.g. "2048 MiB" or "100 GiB"'],
    [{ shares: [{ hostPath: "/srv/x", tag: "x", driver: "nfs" }] }, "spec spec: stacks.testvm.hosts.local.vms.testvm.shares[0].driver"],
    [{ shares: [{ path: "/srv/x", tag: "x" }] }, "spec spec: stacks.testvm.hosts.local.vms.testvm.shares[0].path: unknown key"],
    [{ numa: { nodeset: "0", mode: "bind" } }, "spec spec: stacks.testvm.hosts.local.vms.testvm.numa.mode"],
    [{ cpuPinning: { vcpu: ["0"] } }, "spec spec: stacks.testvm.hosts.local.vms.testvm.cpuPinning.vcpu: unknown key"],
    [{ hostDevices: [{}] }, "spec spec: stacks.testvm.hosts.local.vms.testvm.hostDevices[0]: give either pci or usb"],
    [{ hostDevices: [{ pci: "0000:01:00.0", usb: { vendor: "046d", product: "c52b" } }] }, "spec spec: stacks.testvm.hosts.local.vms.testvm.hostDevices[0]: give either pci or usb"],
  ])("refused by the schema: %j", (patch, message) => {
    expect(() => parseSpec(withVm(patch))).toThrow(message);
  });

  test("the library's checks name the construct path of the spec's VM", () => {
    expect(() => buildStacks(Testing.app(), parseSpec(withVm({ cpuPinning: { vcpus: ["0", "1"] } })))).toThrow(
      "[testvm/local/testvm] cpuPinning.vcpus: pins 2 vCPUs, but the VM has 1",
    );
  });
});
