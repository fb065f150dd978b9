/** Where NixOS's libvirtd module links the OVMF build it is configured with. */
const NIX_OVMF = "/run/libvirt/nix-ovmf";

export interface UefiOptions {
  /** Read-only firmware code. @default "/run/libvirt/nix-ovmf/OVMF_CODE.fd" */
  readonly loader?: string;
  /**
   * The variable store each VM's own NVRAM is copied from. libvirt needs it when the loader is given
   * explicitly ("unable to find any master var store for loader" otherwise).
   * @default "/run/libvirt/nix-ovmf/OVMF_VARS.fd"
   */
  readonly nvramTemplate?: string;
  /** Directory of the per-VM NVRAM files (`<name>_VARS.fd`). @default "/var/lib/libvirt/qemu/nvram" */
  readonly nvramDir?: string;
}

/** How the VM boots: SeaBIOS, or UEFI (OVMF) with an explicit loader and NVRAM template. */
export class Firmware {
  /** Legacy BIOS: what cloud images boot with everywhere. */
  public static bios(): Firmware {
    return new Firmware(undefined);
  }

  /**
   * UEFI with the loader and NVRAM template given explicitly, which works on NixOS (libvirt's
   * firmware autoselection reads back inconsistently in provider 0.9.7, so it is not used).
   */
  public static uefi(options: UefiOptions = {}): Firmware {
    return new Firmware({
      loader: options.loader ?? `${NIX_OVMF}/OVMF_CODE.fd`,
      nvramTemplate: options.nvramTemplate ?? `${NIX_OVMF}/OVMF_VARS.fd`,
      nvramDir: (options.nvramDir ?? "/var/lib/libvirt/qemu/nvram").replace(/\/+$/, ""),
    });
  }

  private constructor(public readonly uefi: Required<UefiOptions> | undefined) {}

  /** Problems with the paths, as field → message. */
  public problems(): [string, string][] {
    if (!this.uefi) return [];
    return Object.entries(this.uefi)
      .filter(([, path]) => !path.startsWith("/"))
      .map(([field, path]) => [`firmware.${field}`, `"${path}" must be an absolute path`]);
  }
}
