// Talking to a guest through its qemu-guest-agent (virsh qemu-agent-command): the suite never needs
// SSH, a password or a route into the guest.
import { URI } from "./lab";
import { attempt, sleep, waitFor } from "./run";

function agent(domain: string, command: object, timeoutSeconds = 10): { ok: boolean; value?: any; output: string } {
  const r = attempt("virsh", ["-q", "-c", URI, "qemu-agent-command", domain, "--timeout", String(timeoutSeconds), JSON.stringify(command)]);
  if (r.code !== 0) return { ok: false, output: r.output };
  try {
    return { ok: true, value: JSON.parse(r.output).return, output: r.output };
  } catch {
    return { ok: false, output: r.output };
  }
}

export function agentAnswers(domain: string): boolean {
  return agent(domain, { execute: "guest-ping" }, 5).ok;
}

export function waitForAgent(domain: string, timeoutMs = 240_000): Promise<true> {
  return waitFor(`the guest agent of ${domain}`, timeoutMs, () => (agentAnswers(domain) ? true : undefined), 3000);
}

export interface ExecResult {
  readonly exitcode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs argv in the guest as root and waits for it. */
export async function guestExec(domain: string, argv: readonly string[], timeoutMs = 120_000): Promise<ExecResult> {
  const started = agent(domain, { execute: "guest-exec", arguments: { path: argv[0], arg: argv.slice(1), "capture-output": true } });
  if (!started.ok) throw new Error(`guest-exec ${argv.join(" ")} in ${domain}: ${started.output}`);
  const pid = started.value.pid as number;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = agent(domain, { execute: "guest-exec-status", arguments: { pid } });
    if (status.ok && status.value.exited) {
      const decode = (b64?: string) => (b64 ? Buffer.from(b64, "base64").toString("utf8") : "");
      return { exitcode: status.value.exitcode ?? -1, stdout: decode(status.value["out-data"]), stderr: decode(status.value["err-data"]) };
    }
    if (Date.now() > deadline) throw new Error(`guest-exec ${argv.join(" ")} in ${domain} did not finish in ${timeoutMs / 1000} s`);
    await sleep(500);
  }
}

/** Runs a shell line in the guest; fails unless it exits 0; returns its stdout. */
export async function guestShell(domain: string, script: string): Promise<string> {
  const r = await guestExec(domain, ["/bin/sh", "-c", script]);
  if (r.exitcode !== 0) throw new Error(`in ${domain}: sh -c ${JSON.stringify(script)} exited ${r.exitcode}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/**
 * Waits until systemd has finished booting the guest (whatever the outcome): before that, a shutdown
 * request can go unheard (logind is not up to handle the power button or a scheduled shutdown).
 */
export async function waitForBoot(domain: string, timeoutMs = 300_000): Promise<string> {
  await waitForAgent(domain, timeoutMs);
  const r = await guestExec(domain, ["systemctl", "is-system-running", "--wait"], timeoutMs);
  return r.stdout.trim();
}

/**
 * Waits until cloud-init has finished and returns its errors (from /run/cloud-init/result.json). The lab
 * has no package mirror: apt only warns, and packages the image has already (the guest agent) install.
 * First-boot commands may restart the agent meanwhile: a moment without it is waited out.
 */
export async function waitForCloudInit(domain: string, timeoutMs = 300_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let unanswered: Error | undefined;
    try {
      const r = await guestExec(domain, ["/bin/sh", "-c", "test -f /run/cloud-init/result.json && cat /run/cloud-init/result.json"]);
      if (r.exitcode === 0) return (JSON.parse(r.stdout).v1?.errors ?? []) as string[];
    } catch (err) {
      unanswered = err as Error;
    }
    if (Date.now() > deadline) throw new Error(`cloud-init did not finish in ${domain} within ${timeoutMs / 1000} s${unanswered ? `: ${unanswered.message}` : ""}`);
    await sleep(3000);
  }
}
