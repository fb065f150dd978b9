import { spawn, type ChildProcess } from "node:child_process";
import { InterruptedError, ToolError } from "./errors";
import type { Logger } from "./log";
import { StateDumpFilter } from "./state-dump-filter";
import { supervisedArgs, type SupervisorCommand, type SupervisorMessage } from "./supervisor";

/** One external command. argv arrays only: nothing goes through a shell. */
export interface Step {
  /** Name used in logs and errors, e.g. "terraform plan". */
  readonly tool: string;
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The complete environment of the child (not merged with process.env here). */
  readonly env: NodeJS.ProcessEnv;
  /** Names of env vars that carry secrets: logged by name so a reader knows they were passed. */
  readonly secretEnv?: readonly string[];
  /** Buffer stdout and return it instead of streaming it (for `show -json`). */
  readonly captureStdout?: boolean;
}

export interface StepResult {
  /** null when the child was killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** All of stdout when captured; otherwise what was streamed, up to OUTPUT_LIMIT. */
  readonly stdout: string;
  readonly stderrTail: string;
  /** All of stderr up to OUTPUT_LIMIT, for recognizing the tool's error messages. */
  readonly stderr: string;
  /** States terraform printed because it could not save them; kept out of the output above (see state-dump-filter.ts). */
  readonly stateDumps: readonly string[];
}

const TAIL_LINES = 30;
const TAIL_BYTES = 16 * 1024;
const OUTPUT_LIMIT = 1024 * 1024;

/** How a command is shown in logs and in --dry-run: readable, not meant to be pasted into a shell. */
export function formatCommand(file: string, args: readonly string[]): string {
  return [file, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(" ");
}

export function describeStep(step: Step): string {
  const secrets = step.secretEnv?.length ? ` [secrets via env: ${step.secretEnv.join(", ")}]` : "";
  return `$ ${formatCommand(step.file, step.args)}  (in ${step.cwd})${secrets}`;
}

/**
 * Runs steps one at a time, streaming their output to the logger's streams (the
 * journal) while keeping a stderr tail for error messages.
 *
 * Signals: the child shares our process group and cgroup, so Ctrl-C or
 * `systemctl stop` already reach terraform, which then stops gracefully.
 * Forwarding the first signal too would count as terraform's second interrupt and
 * make it exit immediately, so the first one is only recorded (the running step
 * finishes, later steps are skipped); a second one is forwarded.
 *
 * Each child runs under a supervisor that ends it if deploy dies (supervisor.ts).
 */
export class Runner {
  private child: ChildProcess | undefined;
  private signal: NodeJS.Signals | undefined;
  /** Told the pid of each supervisor as it starts, and undefined once it is gone (the deploy lock records it). */
  onChild: (pid: number | undefined) => void = () => {};

  constructor(private readonly log: Logger) {}

  interrupt(signal: NodeJS.Signals): void {
    if (this.signal && this.child?.connected) this.child.send({ signal } satisfies SupervisorCommand);
    this.signal ??= signal;
    this.log.info(
      this.child
        ? `received ${signal}: waiting for the running step to stop; no further steps will run`
        : `received ${signal}: no further steps will run`,
    );
  }

  /** Throws InterruptedError once a signal has arrived, so callers stop between steps. */
  checkInterrupted(): void {
    if (this.signal) throw new InterruptedError(this.signal);
  }

  async run(step: Step): Promise<StepResult> {
    this.checkInterrupted();
    this.log.info(describeStep(step));
    const result = await this.spawn(step);
    this.checkInterrupted();
    return result;
  }

  private spawn(step: Step): Promise<StepResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, supervisedArgs(step.file, step.args), {
        cwd: step.cwd,
        env: step.env,
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      });
      this.child = child;
      if (child.pid !== undefined) this.onChild(child.pid);
      const stdout: string[] = [];
      let streamed = "";
      let tail = "";
      let stderr = "";
      let startError: string | undefined;
      const withheld = (lines: number) =>
        this.log.warn(
          `${step.tool} printed the state it could not save (${lines} line${lines === 1 ? "" : "s"}): withheld from this log because it holds the ` +
            `stack's secrets; deploy says below where that state went`,
        );
      const outFilter = new StateDumpFilter(withheld);
      const errFilter = new StateDumpFilter(withheld);
      const showOut = (text: string) => {
        if (text === "") return;
        this.log.out.stdout.write(text);
        if (streamed.length < OUTPUT_LIMIT) streamed += text.slice(0, OUTPUT_LIMIT - streamed.length);
      };
      const showErr = (text: string) => {
        if (text === "") return;
        this.log.out.stderr.write(text);
        tail = (tail + text).slice(-TAIL_BYTES);
        if (stderr.length < OUTPUT_LIMIT) stderr += text.slice(0, OUTPUT_LIMIT - stderr.length);
      };
      child.stdout!.setEncoding("utf8");
      child.stderr!.setEncoding("utf8");
      child.stdout!.on("data", (chunk: string) => {
        if (step.captureStdout) stdout.push(chunk);
        else showOut(outFilter.write(chunk));
      });
      child.stderr!.on("data", (chunk: string) => showErr(errFilter.write(chunk)));
      child.on("message", (m: SupervisorMessage) => (startError = m.startError));
      child.on("error", (err: NodeJS.ErrnoException) => {
        this.child = undefined;
        this.onChild(undefined);
        reject(new ToolError(step.tool, null, "", `could not start ${process.execPath}: ${err.code ?? err.message}`));
      });
      child.on("close", (code, signal) => {
        this.child = undefined;
        this.onChild(undefined);
        if (startError !== undefined) {
          reject(new ToolError(step.tool, null, "", `could not start ${step.file}: ${startError}`));
          return;
        }
        showOut(outFilter.end());
        showErr(errFilter.end());
        resolve({
          code,
          signal,
          stdout: step.captureStdout ? stdout.join("") : streamed,
          stderrTail: tail.split("\n").slice(-TAIL_LINES).join("\n"),
          stderr,
          stateDumps: [...outFilter.withheld(), ...errFilter.withheld()],
        });
      });
    });
  }
}
