// cdktf records a full stack trace in every token and nested reference object it creates, and prints it
// only if that token fails to resolve. At a thousand VMs those traces cost more than the rest of the
// build. `untraced` skips them for objects that resolve by construction: the references the constructs
// make for themselves, and (scripts/generate-bindings.js copies this file into the bindings' runtime)
// the nested reference objects of the generated bindings. Tokens created by user code keep theirs.

type Capture = (below?: Function) => string[];
interface StackTraceModule {
  captureStackTrace: Capture;
}

/**
 * cdktf 0.21.0's trace module, whose function its compiled code looks up at each call; undefined if a
 * version moves it (then nothing is swapped and only speed is lost) or when CDKTF_LIBVIRT_STACK_TRACES is
 * set, to debug with every trace.
 */
function stackTraceModule(): StackTraceModule | undefined {
  if (process.env.CDKTF_LIBVIRT_STACK_TRACES) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require("cdktf/lib/tokens/private/stack-trace") as StackTraceModule;
    return typeof m.captureStackTrace === "function" ? m : undefined;
  } catch {
    return undefined;
  }
}

const traces = stackTraceModule();
const noTrace: Capture = () => [];

/** Runs `create` (synchronous) with cdktf's stack-trace capture switched off, and switches it back on. */
export function untraced<T>(create: () => T): T {
  if (traces === undefined || traces.captureStackTrace === noTrace) return create();
  const capture = traces.captureStackTrace;
  traces.captureStackTrace = noTrace;
  try {
    return create();
  } finally {
    traces.captureStackTrace = capture;
  }
}
