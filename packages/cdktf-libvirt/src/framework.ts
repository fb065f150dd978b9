// The one module that knows the framework's private parts and output shape, for synthesis speed.
//
// Contract:
// - `FRAMEWORK`: which framework the package "cdktf" is (cdktf itself, or its maintained fork cdktn
//   installed under that name), its version, and whether this module knows its private parts (`known`).
// - `untraced(create)`: runs `create` without recording creation stack traces in the tokens it makes
//   (cdktf 0.21: its stack-trace module's capture switched off; cdktn: its own CDKTN_DISABLE_CREATION_STACK).
// - `privateResolver()`: cdktf's token resolution modules, for plain-resolve.ts.
// - `resolvedSections(stack, document)`: the sections of a stack's merged document that hold only
//   fragments resolved already (from the shape of cdktf's metadata), for LibvirtStack.
// - `writesStackJson`: whether LibvirtStack may print cdk.tf.json itself (stack-json.ts: the bytes of
//   cdktf's json-stable-stringify).
// One check, at load, decides: a framework and version listed in KNOWN whose private modules have the
// expected shape. Anything else gets the framework's own path everywhere (the same JSON, a slower
// synth), with one warning. scripts/generate-bindings.js copies this file into the bindings' runtime,
// which must compile without helpers: no ?. or ?? here.
import { IConstruct } from "constructs";

type Capture = (below?: Function) => string[];

interface StackTraceModule {
  captureStackTrace: Capture;
  captureCreationStack?: () => string[];
}

interface TokensModule {
  resolve(scope: IConstruct, obj: unknown, preparing?: boolean): unknown;
}

interface ResolverModule {
  resolve(obj: unknown, options: { scope: IConstruct; prefix: string[]; resolver: unknown; preparing: boolean }): unknown;
}

export interface PrivateResolver {
  readonly tokens: TokensModule;
  readonly resolver: ResolverModule;
}

/** Versions whose private parts this module was written against, by package name. */
export const KNOWN: Readonly<Record<string, RegExp>> = { cdktf: /^0\.21\./, cdktn: /^0\.24\./ };

export interface Framework {
  /** "cdktf", or "cdktn" when the fork is installed under the name cdktf. */
  readonly name: string;
  readonly version: string;
  /** Every private part below has the shape this module knows. */
  readonly known: boolean;
  /** Why not, when not known. */
  readonly reason?: string;
}

interface Parts {
  readonly stackTrace: StackTraceModule;
  readonly resolver: PrivateResolver;
}

/** Decides from the installed package and its private modules (a pure function, for the tests). */
export function assess(pkg: { name?: string; version?: string }, load: (module: string) => unknown): { framework: Framework; parts?: Parts } {
  const name = String(pkg.name);
  const version = String(pkg.version);
  const base = { name, version };
  const knownVersions = KNOWN[name];
  if (knownVersions === undefined || !knownVersions.test(version)) {
    const known = Object.entries(KNOWN).map(([n, v]) => `${n} ${v.source.replace(/[\\^]/g, "")}x`).join(", ");
    return { framework: { ...base, known: false, reason: `${name} ${version} is not a version this library knows (${known})` } };
  }
  try {
    const stackTrace = load("cdktf/lib/tokens/private/stack-trace") as StackTraceModule;
    const tokens = load("cdktf/lib/_tokens") as TokensModule;
    const resolver = load("cdktf/lib/tokens/private/resolve") as ResolverModule;
    const shapes: [boolean, string][] = [
      [typeof stackTrace.captureStackTrace === "function", "tokens/private/stack-trace has no captureStackTrace"],
      [name !== "cdktn" || typeof stackTrace.captureCreationStack === "function", "tokens/private/stack-trace has no captureCreationStack"],
      [typeof tokens.resolve === "function", "_tokens has no resolve"],
      [typeof resolver.resolve === "function", "tokens/private/resolve has no resolve"],
    ];
    const broken = shapes.find(([ok]) => !ok);
    if (broken) return { framework: { ...base, known: false, reason: broken[1] } };
    return { framework: { ...base, known: true }, parts: { stackTrace, resolver: { tokens, resolver } } };
  } catch (err) {
    return { framework: { ...base, known: false, reason: (err as Error).message.split("\n")[0] } };
  }
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const assessed = assess(require("cdktf/package.json"), (module) => require(module));
export const FRAMEWORK: Framework = assessed.framework;
const parts = assessed.parts;

// one warning per process, however many copies of this module are loaded (the bindings carry one)
const WARNED = Symbol.for("cdktf-libvirt.framework-warning");
if (!FRAMEWORK.known && !(process as unknown as Record<symbol, boolean>)[WARNED]) {
  (process as unknown as Record<symbol, boolean>)[WARNED] = true;
  process.emitWarning(`${FRAMEWORK.reason}: synthesis takes the framework's own path (the same JSON, slower)`, { code: "CDKTF_LIBVIRT_FRAMEWORK" });
}

/** Set CDKTF_LIBVIRT_STACK_TRACES to keep every trace, for debugging a token that does not resolve. */
const keepTraces = () => process.env.CDKTF_LIBVIRT_STACK_TRACES !== undefined;
const noTrace: Capture = () => [];

/** Runs `create` (synchronous) without creation stack traces for the tokens and references it makes. */
export function untraced<T>(create: () => T): T {
  if (!parts || keepTraces()) return create();
  if (FRAMEWORK.name === "cdktn") {
    // the fork's own switch, read at each capture
    const before = process.env.CDKTN_DISABLE_CREATION_STACK;
    if (before === "1" || before === "true") return create();
    process.env.CDKTN_DISABLE_CREATION_STACK = "1";
    try {
      return create();
    } finally {
      if (before === undefined) delete process.env.CDKTN_DISABLE_CREATION_STACK;
      else process.env.CDKTN_DISABLE_CREATION_STACK = before;
    }
  }
  // cdktf 0.21's compiled code looks the function up on its module at each call
  const traces = parts.stackTrace;
  if (traces.captureStackTrace === noTrace) return create();
  const capture = traces.captureStackTrace;
  traces.captureStackTrace = noTrace;
  try {
    return create();
  } finally {
    traces.captureStackTrace = capture;
  }
}

/** cdktf's `_tokens` module (whose `resolve` a stack's toTerraform looks up at each call) and its resolver. */
export function privateResolver(): PrivateResolver | undefined {
  return parts === undefined ? undefined : parts.resolver;
}

interface StackMetadata {
  readonly stackName?: string;
  readonly overrides?: { readonly stack?: string[] };
}

/**
 * cdktf's toTerraform resolves every element's metadata and fragment, then the document it merged them
 * into. Every section of that document but "//" (cdktf's metadata) merges fragments resolved already,
 * unless overrides on the stack itself were merged in too: those sections need no second pass.
 */
export function resolvedSections(stack: IConstruct, obj: unknown): ReadonlySet<string> | undefined {
  if (!parts) return undefined;
  const meta = typeof obj === "object" && obj !== null ? (obj as { "//"?: { metadata?: StackMetadata } })["//"] : undefined;
  const metadata = meta === undefined ? undefined : meta.metadata;
  if (metadata === undefined || metadata.stackName !== stack.node.id || (metadata.overrides !== undefined && metadata.overrides.stack !== undefined)) return undefined;
  return new Set(Object.keys(obj as object).filter((key) => key !== "//"));
}

/** Whether LibvirtStack may print cdk.tf.json itself; CDKTF_LIBVIRT_STACK_JSON=0 leaves it to the framework. */
export function writesStackJson(): boolean {
  return parts !== undefined && process.env.CDKTF_LIBVIRT_STACK_JSON !== "0";
}
