// cdktf records a full stack trace in every token it creates (a reference such as `volume.name`, a Lazy
// value) and prints it only if that token fails to resolve. The references the constructs make for
// themselves resolve by construction, and at a thousand VMs their traces cost a quarter of the build, so
// the constructs create them through `untraced`. Tokens created by user code keep theirs.

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
