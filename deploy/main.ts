#!/usr/bin/env node
// Entry point of `cdktf-libvirt-deploy` / `npm run deploy`. The only module that
// exits the process: everything else throws a DeployError carrying its exit code.

import { parseDeployArgs, USAGE } from "./args";
import { DeployError, EXIT, InternalError, UsageError } from "./errors";
import { createLogger, isJournalStream, type Output } from "./log";
import { deploy } from "./pipeline";
import { Runner } from "./runner";

export interface MainIo extends Output {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Lets the caller route SIGINT/SIGTERM to the runner. */
  readonly onRunner?: (runner: Runner) => void;
  /** stderr is the journal: lines carry their syslog priority. */
  readonly journal?: boolean;
}

/** Runs one deploy and returns its exit code; never throws, never exits. */
export async function main(argv: readonly string[], io: MainIo): Promise<number> {
  // What deploy and its tools write (state, backups, plans) holds secrets: private from the first file on.
  process.umask(0o077);
  const log = createLogger(io, { journal: io.journal });
  // --plan-only answers as terraform plan -detailed-exitcode does, where 2 means "changes"
  const planOnly = argv.includes("--plan-only");
  try {
    const parsed = parseDeployArgs(argv, io.env, io.cwd);
    if (parsed.help) {
      io.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    const runner = new Runner(log);
    io.onRunner?.(runner);
    const color = Boolean((io.stdout as { isTTY?: boolean }).isTTY);
    const outcome = await deploy(parsed.options, { log, runner, env: io.env, color });
    return outcome.kind === "planned" ? EXIT.planChanges : EXIT.ok;
  } catch (err) {
    if (err instanceof InternalError) {
      log.error(`internal error (this should never happen; please report it with the lines below)\n${err.stack ?? err.message}`);
      return err.exitCode;
    }
    if (err instanceof DeployError) {
      log.error(`error: ${err.message}`);
      return planOnly && err instanceof UsageError ? EXIT.tool : err.exitCode;
    }
    // Anything else escaped the taxonomy: a bug in deploy, not in the user's config.
    log.error(
      `internal error (this should never happen; please report it with the lines below)\n` +
        `${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n` +
        `node ${process.version} on ${process.platform}/${process.arch}`,
    );
    return EXIT.internal;
  }
}

if (require.main === module) {
  let runner: Runner | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (runner) runner.interrupt(signal);
    else process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  void main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onRunner: (r) => (runner = r),
    journal: isJournalStream(process.env, 2),
  }).then((code) => process.exit(code));
}
