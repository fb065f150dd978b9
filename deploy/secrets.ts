import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "./errors";

// Secrets arrive as systemd credentials (LoadCredential=NAME:/path), readable only
// by the unit under $CREDENTIALS_DIRECTORY. They reach terraform as TF_VAR_NAME in
// its environment: never on argv (visible in ps) and never in a log line.

export interface Secret {
  readonly envName: string;
  readonly value: string;
}

/** Checks that every credential file exists; used by --dry-run, which must not read values. */
export function credentialPaths(names: readonly string[], env: NodeJS.ProcessEnv): string[] {
  if (names.length === 0) return [];
  const dir = env.CREDENTIALS_DIRECTORY;
  if (!dir) {
    throw new UsageError(
      `--secret ${names[0]}: $CREDENTIALS_DIRECTORY is not set. Run under systemd with ` +
        `LoadCredential=${names[0]}:/path/to/file (or set CREDENTIALS_DIRECTORY to a directory holding a file named ${names[0]}).`,
    );
  }
  return names.map((name) => {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) {
      throw new UsageError(`--secret ${name}: credential file ${file} does not exist (missing LoadCredential=${name}:...?)`);
    }
    return file;
  });
}

/** Reads the credentials. One trailing newline is dropped: editors add it, values rarely mean it. */
export function readSecrets(names: readonly string[], env: NodeJS.ProcessEnv): Secret[] {
  const files = credentialPaths(names, env);
  return names.map((name, i) => {
    let value: string;
    try {
      value = fs.readFileSync(files[i], "utf8");
    } catch (err) {
      throw new UsageError(`--secret ${name}: cannot read ${files[i]}: ${(err as NodeJS.ErrnoException).code ?? ""}`);
    }
    return { envName: `TF_VAR_${name}`, value: value.replace(/\r?\n$/, "") };
  });
}
