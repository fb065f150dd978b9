import { Architecture } from "./platform";

/**
 * A TPM 2.0 emulated by swtpm, which libvirt starts per VM and whose state it keeps under
 * /var/lib/libvirt/swtpm (on NixOS: `virtualisation.libvirtd.qemu.swtpm.enable = true`). The CRB
 * interface on x86_64, as Windows 11 expects; TIS on aarch64, whose virt machine has no CRB.
 */
export function tpmDevice(arch: Architecture) {
  return { model: arch === Architecture.AARCH64 ? "tpm-tis" : "tpm-crb", backend: { emulator: { version: "2.0" } } };
}
