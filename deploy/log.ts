import type { Writable } from "node:stream";

// Where deploy's own messages and the tools' output go. Under systemd both
// streams end up in the journal; tests pass collecting streams instead.
export interface Output {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  readonly out: Output;
}

// A fixed prefix tells deploy's lines apart from terraform's in the journal.
export function createLogger(out: Output): Logger {
  const write = (prefix: string, message: string) => {
    for (const line of message.split("\n")) out.stderr.write(`${prefix}${line}\n`);
  };
  return {
    info: (m) => write("[deploy] ", m),
    warn: (m) => write("[deploy] warning: ", m),
    out,
  };
}
