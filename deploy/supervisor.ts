// Every tool deploy runs is started through a tiny node supervisor, so that it dies with deploy.
// Node has no prctl(PR_SET_PDEATHSIG): instead the supervisor holds an IPC channel to deploy, and the
// kernel closes that channel when deploy dies in any way, SIGKILL and the OOM killer included.
//
// The tool stays in deploy's process group, so Ctrl-C and `systemctl stop` reach it once, as before.
// When the channel closes, the supervisor interrupts the tool once (a graceful stop: terraform ends
// its provisioners and plugins and writes its state) and kills it after SUPERVISOR_GRACE_MS. It keeps
// draining the tool's output meanwhile, because a write to a broken pipe would kill terraform before
// it saved its state. It exits only after the tool has, so "the supervisor lives" covers "the tool lives"
// (lock.ts waits for it).

const SUPERVISOR_GRACE_MS = 30_000;

/** What the supervisor tells deploy over the channel. */
export type SupervisorMessage = { readonly startError: string };
/** What deploy tells the supervisor: a signal to pass on to the tool (a second Ctrl-C). */
export type SupervisorCommand = { readonly signal: NodeJS.Signals };

// Plain JavaScript for `node -e`: it must run without ts-node, from the built package and from sources alike.
const SCRIPT = `
const { spawn } = require("node:child_process");
const [file, ...args] = process.argv.slice(1);
// signals sent to the whole group reach the tool directly; the supervisor outlives it to relay its output
for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(s, () => {});
const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"] });
for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
  let open = true;
  to.on("error", () => (open = false));
  from.on("data", (chunk) => open && to.write(chunk));
}
child.on("error", (err) => process.send({ startError: err.code || err.message }, () => process.exit(127)));
process.on("message", (m) => child.kill(m.signal));
process.on("disconnect", () => {
  child.kill("SIGTERM");
  setTimeout(() => child.kill("SIGKILL"), ${SUPERVISOR_GRACE_MS}).unref();
});
child.on("close", (code, signal) => {
  if (signal === null) process.exit(code);
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
});
`;

/** argv (after the node binary) that runs `file args` under the supervisor. */
export function supervisedArgs(file: string, args: readonly string[]): string[] {
  return ["-e", SCRIPT, file, ...args];
}
