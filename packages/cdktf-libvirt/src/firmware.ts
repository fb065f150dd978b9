import { IConstruct } from "constructs";
import { TerraformStack, TerraformVariable } from "cdktf";
import { literal } from "./literal";

export interface UefiOptions {
  /**
   * Read-only firmware code on the host that applies, e.g. Debian's /usr/share/OVMF/OVMF_CODE_4M.fd.
   * @default - the Terraform variable `libvirt_uefi_loader`, set at apply time (TF_VAR_libvirt_uefi_loader):
   * the NixOS module sets it to the file its host part provides for the NixOS release it runs on
   */
  readonly loader?: string;
  /**
   * The variable store each VM's own NVRAM is copied from, e.g. /usr/share/OVMF/OVMF_VARS_4M.fd. libvirt
   * needs it when the loader is given explicitly ("unable to find any master var store for loader").
   * @default - the Terraform variable `libvirt_uefi_nvram_template` (TF_VAR_libvirt_uefi_nvram_template), as `loader`
   */
  readonly nvramTemplate?: string;
  /** Directory of the per-VM NVRAM files (`<name>_VARS.fd`). @default "/var/lib/libvirt/qemu/nvram" */
  readonly nvramDir?: string;
  /**
   * Secure boot, as Windows 11 wants it: firmware built with secure boot and SMM (the machine gets SMM),
   * and a variable store with Microsoft's keys enrolled, so the guest boots only signed bootloaders
   * (shim, Windows). x86_64 only. Without paths, the files come from the host at apply time as for plain
   * UEFI, from the variables `libvirt_uefi_secure_loader` and `libvirt_uefi_secure_nvram_template`.
   * @default false
   */
  readonly secureBoot?: boolean;
}

/** The paths a UEFI VM is rendered with: given ones, or references to the host's variables. */
export interface UefiPaths {
  readonly loader: string;
  readonly nvramTemplate: string;
  readonly nvramDir: string;
  readonly secureBoot: boolean;
}

/**
 * The Terraform variables that name the host's UEFI files when a VM gives none: read at apply time, so
 * that a stack synthesized in CI boots on the host that applies it with that host's files.
 */
export const UEFI_VARIABLES = {
  loader: {
    name: "libvirt_uefi_loader",
    description: "UEFI firmware code on the host that applies (e.g. /usr/share/OVMF/OVMF_CODE_4M.fd); the NixOS module sets it",
  },
  nvramTemplate: {
    name: "libvirt_uefi_nvram_template",
    description: "UEFI variable store template on the host that applies (e.g. /usr/share/OVMF/OVMF_VARS_4M.fd); the NixOS module sets it",
  },
  secureLoader: {
    name: "libvirt_uefi_secure_loader",
    description: "Secure-boot UEFI firmware code (with SMM) on the host that applies (e.g. /usr/share/OVMF/OVMF_CODE_4M.secboot.fd); the NixOS module sets it",
  },
  secureNvramTemplate: {
    name: "libvirt_uefi_secure_nvram_template",
    description: "UEFI variable store with Microsoft's keys enrolled on the host that applies (e.g. /usr/share/OVMF/OVMF_VARS_4M.ms.fd); the NixOS module sets it",
  },
} as const;

/** How the VM boots: SeaBIOS, or UEFI (OVMF) with an explicit loader and NVRAM template. */
export class Firmware {
  /** Legacy BIOS: what cloud images boot with everywhere. */
  public static bios(): Firmware {
    return new Firmware(undefined);
  }

  /**
   * UEFI with the loader and NVRAM template named explicitly, which works on NixOS and everywhere else
   * (libvirt's firmware autoselection reads back inconsistently in provider 0.9.7, so it is not used).
   * Paths not given come from the host at apply time (see UefiOptions).
   */
  public static uefi(options: UefiOptions = {}): Firmware {
    return new Firmware({ ...options, nvramDir: (options.nvramDir ?? "/var/lib/libvirt/qemu/nvram").replace(/\/+$/, "") });
  }

  private constructor(public readonly uefi: (UefiOptions & { readonly nvramDir: string }) | undefined) {}

  /** Problems with the paths, as field → message. */
  public problems(): [string, string][] {
    if (!this.uefi) return [];
    const { loader, nvramTemplate, nvramDir } = this.uefi;
    return Object.entries({ loader, nvramTemplate, nvramDir })
      .filter(([, path]) => path !== undefined && !path.startsWith("/"))
      .map(([field, path]) => [`firmware.${field}`, `"${path}" must be an absolute path`]);
  }

  /** @internal The paths to render for a VM in `scope`'s stack: given ones, else the host's variables. */
  public _paths(scope: IConstruct): UefiPaths | undefined {
    if (!this.uefi) return undefined;
    const secureBoot = this.uefi.secureBoot ?? false;
    return {
      loader: this.uefi.loader !== undefined ? literal(this.uefi.loader) : hostVariable(scope, secureBoot ? "secureLoader" : "loader"),
      nvramTemplate:
        this.uefi.nvramTemplate !== undefined ? literal(this.uefi.nvramTemplate) : hostVariable(scope, secureBoot ? "secureNvramTemplate" : "nvramTemplate"),
      nvramDir: literal(this.uefi.nvramDir),
      secureBoot,
    };
  }
}

/** The stack's variable for one of the host's UEFI files, declared once however many VMs use it. */
function hostVariable(scope: IConstruct, which: keyof typeof UEFI_VARIABLES): string {
  const { name, description } = UEFI_VARIABLES[which];
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(name) as TerraformVariable | undefined;
  const variable =
    existing ??
    new TerraformVariable(stack, name, {
      type: "string",
      description,
      validation: [{ condition: `\${startswith(var.${name}, "/")}`, errorMessage: `${name} must be an absolute path` }],
    });
  if (!existing) {
    variable.overrideLogicalId(name);
    // read by deploy: a file on the host that applies, checked before planning when libvirtd is local
    variable.addOverride("//", { "cdktf-libvirt": { hostFile: description } });
  }
  return `\${var.${name}}`;
}
