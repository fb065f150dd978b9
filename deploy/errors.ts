// The deploy error taxonomy. Every expected failure is a DeployError carrying its
// exit code; main.ts is the only place that turns one into a process exit.

export abstract class DeployError extends Error {
  abstract readonly exitCode: number;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags, or an environment that cannot work (missing file, unwritable dir, no binary). */
export class UsageError extends DeployError {
  readonly exitCode = 2;
}

/** An external tool (synth command, terraform/tofu) could not start or exited unsuccessfully. */
export class ToolError extends DeployError {
  readonly exitCode = 1;
  constructor(
    readonly tool: string,
    readonly code: number | null,
    readonly stderrTail: string,
    detail?: string,
  ) {
    super(
      `${tool} failed` +
        (code === null ? "" : ` (exit ${code})`) +
        (detail ? `: ${detail}` : "") +
        (stderrTail.trim() ? `\n--- last lines of ${tool} stderr ---\n${stderrTail.trimEnd()}` : ""),
    );
  }
}

/** The plan JSON is not something this program knows how to check, so it will not apply it. */
export class PlanFormatError extends DeployError {
  readonly exitCode = 1;
}

/** The plan deletes or replaces a protected resource that was not explicitly allowed. */
export class DestructivePlanError extends DeployError {
  readonly exitCode = 3;
}

/** Another deploy (or a terraform run) held the lock for longer than --lock-timeout. */
export class LockTimeoutError extends DeployError {
  readonly exitCode = 4;
}

/** SIGINT/SIGTERM arrived; the running step was allowed to finish, later steps were skipped. */
export class InterruptedError extends DeployError {
  readonly exitCode: number;
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}; later steps were skipped`);
    this.exitCode = signal === "SIGINT" ? 130 : 143;
  }
}

/** A broken assumption inside deploy itself: a bug to report, not something to fix in the config. */
export class InternalError extends DeployError {
  readonly exitCode = 70;
}

export const EXIT = {
  ok: 0,
  tool: 1,
  usage: 2,
  destructive: 3,
  /** --plan-only: the plan changes the stack's resources (terraform plan -detailed-exitcode's 2). */
  planChanges: 2,
  lockTimeout: 4,
  internal: 70,
} as const;
