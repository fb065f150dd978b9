import * as fs from "node:fs";
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
  /** The reason a run failed, or was refused. */
  error(message: string): void;
  readonly out: Output;
}

// syslog priorities, which journald reads from a line's "<N>" prefix (SyslogLevelPrefix=, on by default)
const PRIORITY = { error: 3, warn: 4, info: 6 } as const;

/**
 * A fixed prefix tells deploy's lines apart from terraform's in the journal. With `journal`, each line
 * also carries its priority, so `journalctl -p err` finds the reason a run failed or was refused.
 */
export function createLogger(out: Output, options: { journal?: boolean } = {}): Logger {
  const write = (level: keyof typeof PRIORITY, prefix: string, message: string) => {
    const priority = options.journal ? `<${PRIORITY[level]}>` : "";
    for (const line of message.split("\n")) out.stderr.write(`${priority}${prefix}${line}\n`);
  };
  return {
    info: (m) => write("info", "[deploy] ", m),
    warn: (m) => write("warn", "[deploy] warning: ", m),
    error: (m) => write("error", "[deploy] ", m),
    out,
  };
}

/** Whether file descriptor `fd` is the journal stream systemd names in $JOURNAL_STREAM ("<device>:<inode>"). */
export function isJournalStream(env: NodeJS.ProcessEnv, fd: number): boolean {
  if (!env.JOURNAL_STREAM) return false;
  try {
    const { dev, ino } = fs.fstatSync(fd);
    return env.JOURNAL_STREAM === `${dev}:${ino}`;
  } catch {
    return false;
  }
}
