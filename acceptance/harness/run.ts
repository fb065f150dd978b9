import { execFileSync, spawnSync, type SpawnSyncReturns } from "node:child_process";

/** Runs a command to completion; throws with its output when it fails. */
export function run(file: string, args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): string {
  const result: SpawnSyncReturns<string> = spawnSync(file, args, {
    encoding: "utf8",
    input: options.input,
    env: options.env ?? process.env,
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`${file} ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${file} ${args.join(" ")} exited ${result.status ?? result.signal}:\n${result.stdout}${result.stderr}`.trimEnd());
  }
  return result.stdout;
}

/** Like run, but a failure is an answer (exit code and output), not an exception. */
export function attempt(file: string, args: readonly string[], options: { timeoutMs?: number } = {}): { code: number | null; output: string } {
  const result = spawnSync(file, args, { encoding: "utf8", timeout: options.timeoutMs ?? 120_000 });
  return { code: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

export function commandExists(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs` with `what` in the message. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined, intervalMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(intervalMs);
  }
}
