/**
 * How libvirt runs the guest: with KVM hardware virtualization, or emulated by QEMU (TCG) on hosts
 * without `/dev/kvm` (CI runners, nested VMs, laptops in a VM). Emulation is 10-50x slower.
 */
export enum DomainType {
  KVM = "kvm",
  QEMU = "qemu",
}

/** Guest CPU architectures with a known machine type and disk layout. */
export enum Architecture {
  X86_64 = "x86_64",
  AARCH64 = "aarch64",
}

/** The machine type a guest of `arch` gets unless told otherwise: q35 (PCIe, SATA) on x86_64, virt on aarch64. */
export function defaultMachine(arch: Architecture): string {
  return arch === Architecture.AARCH64 ? "virt" : "q35";
}

const MACHINE = /^[a-z][a-z0-9._-]*$/;

/** Why `machine` cannot be a QEMU machine type name (as `qemu-system-<arch> -machine help` lists them), or undefined. */
export function machineProblem(machine: string): string | undefined {
  return MACHINE.test(machine) ? undefined : `"${machine}" is not a QEMU machine type such as q35, pc-q35-7.2 or virt`;
}
