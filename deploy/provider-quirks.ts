// Errors of the libvirt provider that deploy recognizes in terraform's output and handles on purpose,
// instead of failing with the raw text. Pure: takes the tool's output, returns data.

/** The first provider release with upstream's fix for the runtime-id inconsistency (PR #1337). */
export const ID_FIX_RELEASE = "0.9.8";

/** One `Error:` diagnostic of terraform's human-readable output: its summary and its detail. */
export interface Diagnostic {
  readonly summary: string;
  /** The detail with line breaks folded into single spaces. */
  readonly detail: string;
}

const ANSI = /\x1b\[[0-9;]*m/g;

/** The error diagnostics in terraform/tofu output, with or without colour and boxes. */
export function errorDiagnostics(output: string): Diagnostic[] {
  const lines = output
    .replace(ANSI, "")
    .split("\n")
    .map((line) => line.replace(/^[│╷╵]\s?/, "").trimEnd());
  const found: { summary: string; detail: string[] }[] = [];
  let current: { summary: string; detail: string[] } | undefined;
  for (const line of lines) {
    const error = /^Error: (.*)$/.exec(line);
    if (error) {
      current = { summary: error[1], detail: [] };
      found.push(current);
    } else if (/^Warning: /.test(line) || /^\[deploy\] /.test(line)) {
      current = undefined;
    } else if (current) {
      current.detail.push(line);
    }
  }
  return found.map((d) => ({ summary: d.summary, detail: d.detail.join(" ").replace(/\s+/g, " ").trim() }));
}

const INCONSISTENT = "Provider produced inconsistent result after apply";
const ID_ONLY = /^When applying changes to (\S+), provider .* produced an unexpected new value: \.id: was cty\.NumberIntVal\(\d+\), but now cty\.NumberIntVal\(\d+\)\./;

/**
 * The addresses of libvirt domains whose update failed only because their runtime id changed (the
 * provider restarts a running domain to redefine it; 0.9.7 then compares the old id): the change was
 * applied and the state holds it. Undefined when any error is anything else.
 */
export function idOnlyInconsistencies(stderr: string): string[] | undefined {
  const errors = errorDiagnostics(stderr);
  if (errors.length === 0) return undefined;
  const addresses: string[] = [];
  for (const e of errors) {
    const match = e.summary === INCONSISTENT ? ID_ONLY.exec(e.detail) : null;
    if (!match || !/(^|\.)libvirt_domain\.[^.]+$/.test(match[1])) return undefined;
    addresses.push(match[1]);
  }
  return addresses;
}

/** Whether the apply failed because a guest did not shut down in time before its domain was deleted. */
export function hasShutdownTimeout(stderr: string): boolean {
  return errorDiagnostics(stderr).some((e) => e.summary === "Timeout Waiting for Domain Shutdown");
}

/** The addresses terraform reported as destroyed in its apply output (`<address>: Destruction complete`). */
export function destroyedAddresses(stdout: string): Set<string> {
  return new Set([...stdout.replace(ANSI, "").matchAll(/^(\S+): Destruction complete/gm)].map((m) => m[1]));
}
