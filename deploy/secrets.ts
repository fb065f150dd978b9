import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "./errors";

// Secrets arrive as systemd credentials (LoadCredential=NAME:/path), readable only
// by the unit under $CREDENTIALS_DIRECTORY. They reach terraform as TF_VAR_NAME in
// its environment: never on argv (visible in ps) and never in a log line. A backend's
// credentials (PG_CONN_STR, AWS_SECRET_ACCESS_KEY) are read by terraform itself, from
// its environment under their own names, in every step that touches the state: given
// as ENV=NAME.

export interface Secret {
  readonly envName: string;
  readonly value: string;
  /** A Terraform variable (TF_VAR_NAME), or an environment variable terraform reads itself. */
  readonly variable: boolean;
}

/** `--secret NAME` (the Terraform variable NAME) or `--secret ENV=NAME` (environment variable ENV), or undefined if malformed. */
export function parseSecretArg(arg: string): { readonly credential: string; readonly envName: string; readonly variable: boolean } | undefined {
  const match = /^(?:([A-Z_][A-Z0-9_]*)=)?([A-Za-z_][A-Za-z0-9_]*)$/.exec(arg);
  if (!match) return undefined;
  const [, envName, credential] = match;
  return envName ? { credential, envName, variable: false } : { credential, envName: `TF_VAR_${credential}`, variable: true };
}

/** Checks that every credential file exists; used by --dry-run, which must not read values. */
export function credentialPaths(args: readonly string[], env: NodeJS.ProcessEnv): string[] {
  if (args.length === 0) return [];
  const names = args.map((arg) => parseSecretArg(arg)!.credential);
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
export function readSecrets(args: readonly string[], env: NodeJS.ProcessEnv): Secret[] {
  const files = credentialPaths(args, env);
  return args.map((arg, i) => {
    const { credential, envName, variable } = parseSecretArg(arg)!;
    let value: string;
    try {
      value = fs.readFileSync(files[i], "utf8");
    } catch (err) {
      throw new UsageError(`--secret ${credential}: cannot read ${files[i]}: ${(err as NodeJS.ErrnoException).code ?? ""}`);
    }
    return { envName, value: value.replace(/\r?\n$/, ""), variable };
  });
}
