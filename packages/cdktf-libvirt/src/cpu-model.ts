import { DomainType } from "./platform";

const MODEL = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The CPU the guest sees. */
export class CpuModel {
  /** The host's CPU as it is, every feature included: fastest, but a guest cannot move to a different CPU. KVM only. */
  public static hostPassthrough(): CpuModel {
    return new CpuModel("host-passthrough");
  }

  /** The named model closest to the host's CPU, so guests can migrate between similar hosts. KVM only. */
  public static hostModel(): CpuModel {
    return new CpuModel("host-model");
  }

  /** A model QEMU knows by name (`virsh cpu-models x86_64`), e.g. "Skylake-Client", "EPYC" or "qemu64". */
  public static named(model: string): CpuModel {
    return new CpuModel("custom", model);
  }

  private constructor(
    public readonly mode: "host-passthrough" | "host-model" | "custom",
    public readonly model?: string,
  ) {}

  /** What is wrong with this CPU for a domain of `type`, as messages for the `cpu` field. */
  public problems(type: DomainType): string[] {
    const problems: string[] = [];
    if (this.model !== undefined && !MODEL.test(this.model)) problems.push(`"${this.model}" is not a CPU model name such as Skylake-Client or qemu64`);
    if (this.mode !== "custom" && type !== DomainType.KVM) {
      problems.push(`${this.mode} needs domainType kvm; QEMU emulation takes a named model (CpuModel.named("qemu64")) or its default`);
    }
    return problems;
  }
}
