/** Which host CPUs the guest's vCPUs and QEMU's own threads run on (libvirt's `<cputune>`). */
export interface CpuPinning {
  /**
   * Host CPUs per vCPU, in vCPU order, as libvirt cpusets ("2", "2-3", "0-7,^4"). vCPUs past the end of
   * the list run anywhere. @default - none pinned
   */
  readonly vcpus?: string[];
  /** Host CPUs of the emulator threads (QEMU's I/O and main loop), kept off the pinned vCPUs' cores. @default - anywhere */
  readonly emulator?: string;
}

/** How guest memory is placed on the host's NUMA nodes (libvirt's `<numatune>`). */
export enum NumaMode {
  /** Only these nodes; allocation fails when they are full. */
  STRICT = "strict",
  /** These nodes first, others when they are full. */
  PREFERRED = "preferred",
  /** Spread across these nodes. */
  INTERLEAVE = "interleave",
  /** Like strict, enforced through cgroups only, so it can be changed while the VM runs. */
  RESTRICTIVE = "restrictive",
}

export interface NumaPlacement {
  /** Host NUMA nodes as a libvirt nodeset ("0", "0-1", "0,2"). */
  readonly nodeset: string;
  /** @default NumaMode.STRICT */
  readonly mode?: NumaMode;
}

// libvirt's cpuset syntax: numbers and ranges, separated by commas, each optionally excluded with ^
const CPUSET = /^\^?\d+(-\d+)?(,\^?\d+(-\d+)?)*$/;

/** What is wrong with a cpuset or nodeset, or undefined. */
export function cpusetProblem(text: string): string | undefined {
  if (!CPUSET.test(text)) return `"${text}" is not a libvirt CPU set such as "2", "2-3" or "0-7,^4"`;
  for (const range of text.split(",")) {
    const [from, to] = range.replace("^", "").split("-").map(Number);
    if (to !== undefined && to < from) return `"${text}": the range ${from}-${to} runs backwards`;
  }
  if (text.split(",").every((range) => range.startsWith("^"))) return `"${text}" excludes CPUs but includes none`;
  return undefined;
}

/** What is wrong with `pinning` for a VM of `vcpus` vCPUs, as [field, message] pairs. */
export function cpuPinningProblems(pinning: CpuPinning, vcpus: number): [string, string][] {
  const problems: [string, string][] = [];
  const pins = pinning.vcpus ?? [];
  if (pins.length > vcpus) problems.push(["cpuPinning.vcpus", `pins ${pins.length} vCPUs, but the VM has ${vcpus}`]);
  pins.forEach((set, i) => {
    const p = cpusetProblem(set);
    if (p) problems.push([`cpuPinning.vcpus[${i}]`, p]);
  });
  const emulator = pinning.emulator !== undefined && cpusetProblem(pinning.emulator);
  if (emulator) problems.push(["cpuPinning.emulator", emulator]);
  return problems;
}

export function numaProblems(numa: NumaPlacement): [string, string][] {
  const problems: [string, string][] = [];
  const p = cpusetProblem(numa.nodeset);
  if (p) problems.push(["numa.nodeset", p.replace("CPU set", "node set")]);
  if (numa.mode !== undefined && !Object.values(NumaMode).includes(numa.mode)) problems.push(["numa.mode", `must be one of ${Object.values(NumaMode).join(", ")} (got ${numa.mode})`]);
  return problems;
}

/** The provider's cpu_tune. */
export function cpuTune(pinning: CpuPinning) {
  return {
    vcpuPin: pinning.vcpus?.map((cpuSet, vcpu) => ({ vcpu, cpuSet })),
    emulatorPin: pinning.emulator === undefined ? undefined : { cpuSet: pinning.emulator },
  };
}

/** The provider's numa_tune. */
export function numaTune(numa: NumaPlacement) {
  return { memory: { mode: numa.mode ?? NumaMode.STRICT, nodeset: numa.nodeset } };
}
