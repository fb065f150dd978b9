// What deploy runs to synthesize by default: the app command of the app's cdktf.json, as `cdktf synth`
// would run it (with CDKTF_OUTDIR and the context), but without the cdktf CLI, which takes seconds to
// start and is not needed at run time. Split on whitespace like --synth-command: no shell.
import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "./errors";

export interface AppCommand {
  readonly argv: readonly string[];
  /** cdktf.json's "context", handed to the app as cdktf synth does (CDKTF_CONTEXT_JSON). */
  readonly context: Record<string, unknown>;
}

const SHELL = /[;&|<>$`'"\\()*?~{}[\]#]/;

export function appCommand(appDir: string): AppCommand {
  const file = path.join(appDir, "cdktf.json");
  let config: { app?: unknown; context?: unknown };
  try {
    config = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`${file}: ${e.code === "ENOENT" ? "not found: give --app-dir the app's folder, or --synth-command" : `cannot be read: ${e.message}`}`);
  }
  if (typeof config.app !== "string" || config.app.trim() === "") throw new UsageError(`${file}: "app" must name the command that runs the app, e.g. "node dist/main.js"`);
  if (SHELL.test(config.app)) {
    throw new UsageError(`${file}: "app" (${JSON.stringify(config.app)}) needs a shell, and deploy runs no shell: give the command with --synth-command`);
  }
  const context = typeof config.context === "object" && config.context !== null && !Array.isArray(config.context) ? (config.context as Record<string, unknown>) : {};
  return { argv: config.app.trim().split(/\s+/), context };
}
