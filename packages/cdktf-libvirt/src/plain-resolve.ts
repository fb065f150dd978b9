import { IConstruct } from "constructs";
import { DefaultTokenResolver, StringConcat, Token, Tokenization } from "cdktf";
import { privateResolver } from "./framework";

// cdktf's generic resolver spends most of a large stack's synthesis on values that hold no token: for
// every string, number, array and object it builds a resolution context, runs several token tests and
// copies the value, and a stack resolves its whole configuration twice (each element, then the merged
// document). This resolver copies token-free values itself, with the same result (undefined values
// dropped, new objects and arrays), and hands every value that may hold a token to cdktf's own resolver,
// with the same path, so what tokens resolve to, and every error message, stays cdktf's.

const modules = privateResolver();
const TOKEN_RESOLVER = new DefaultTokenResolver(new StringConcat());

// A string may hold a token if it carries a token marker (`${TfToken[`, `#{TfToken[`, `&{TfToken[`) or
// something cdktf's pattern for numbers encoded in strings would match (a character of [-|0-9.+], "e",
// a character of [-|0-9.eE+]). Anything else cdktf returns unchanged.
const MAY_HOLD_TOKEN = /TfToken\[|[-|\d.+]e[-|\d.eE+]/;
const LIST_TOKEN_MARKER = "#{TfToken[";
// cdktf refuses deeper values as circular; the delegated call then throws its own error
const MAX_DEPTH = 200;

function stringMayHoldToken(s: string): boolean {
  return MAY_HOLD_TOKEN.test(s) || s === Token.STRING_MAP_TOKEN_VALUE || s === Token.ANY_MAP_TOKEN_VALUE;
}

// cdktf encodes a number token as a double whose top 16 bits are 0xfdff (0xfbff in lists): a negative
// number below -1e288. Any larger number is itself; the map marker is refused by cdktf.
function numberMayBeToken(n: number): boolean {
  return n <= -1e288 || n === Token.NUMBER_MAP_TOKEN_VALUE;
}

function isConstruct(x: object): boolean {
  return (x as { _children?: unknown })._children !== undefined && (x as { _metadata?: unknown })._metadata !== undefined;
}

/** What cdktf's resolver gives for `value` at `path` (the value of `prefix` in its diagnostics). */
export function resolvePlain(scope: IConstruct, value: unknown, path: (string | number)[] = []): unknown {
  switch (typeof value) {
    case "string":
      return stringMayHoldToken(value) ? delegate(scope, value, path) : value;
    case "number":
      return numberMayBeToken(value) ? delegate(scope, value, path) : value;
    case "object":
      break;
    case "function":
      return delegate(scope, value, path);
    default:
      return value;
  }
  if (value === null || value instanceof Date) return value;
  if (path.length > MAX_DEPTH) return delegate(scope, value, path);
  if (Array.isArray(value)) {
    // list tokens (encoded in strings or numbers) make cdktf resolve the array as a whole
    for (const x of value) {
      if (typeof x === "number" || (typeof x === "string" && x.includes(LIST_TOKEN_MARKER))) return delegate(scope, value, path);
    }
    const result: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const resolved = resolvePlain(scope, value[i], path);
      path.pop();
      if (resolved !== undefined) result.push(resolved);
    }
    return result;
  }
  if (Tokenization.isResolvable(value) || isConstruct(value)) return delegate(scope, value, path);
  const result: { [key: string]: unknown } = {};
  for (const key of Object.keys(value)) {
    // a key that may be a token makes cdktf resolve the object as a whole
    if (stringMayHoldToken(key)) return delegate(scope, value, path);
    path.push(key);
    const resolved = resolvePlain(scope, (value as { [key: string]: unknown })[key], path);
    path.pop();
    if (resolved !== undefined) result[key] = resolved;
  }
  return result;
}

function delegate(scope: IConstruct, value: unknown, path: (string | number)[]): unknown {
  return modules!.resolver.resolve(value, { scope, prefix: path.map(String), resolver: TOKEN_RESOLVER, preparing: false });
}

/**
 * Runs `synthesize` (synchronous) with cdktf's stack-level resolve replaced by resolvePlain, and puts
 * the original back afterwards. `resolvedSections(obj)` may name top-level keys of an object whose
 * values hold only resolved values already; those are kept as they are. Resolution while preparing
 * (finding cross-stack references) is left to cdktf. CDKTF_LIBVIRT_PLAIN_RESOLVE=0 turns it off, to
 * compare or to rule it out.
 */
export function withPlainResolve<T>(synthesize: () => T, resolvedSections: (obj: unknown) => ReadonlySet<string> | undefined = () => undefined): T {
  if (modules === undefined || process.env.CDKTF_LIBVIRT_PLAIN_RESOLVE === "0") return synthesize();
  const { tokens } = modules;
  const original = tokens.resolve;
  tokens.resolve = (scope, obj, preparing = false) => {
    if (preparing) return original(scope, obj, preparing);
    const kept = resolvedSections(obj);
    return kept ? resolveOtherSections(scope, obj as { [key: string]: unknown }, kept) : resolvePlain(scope, obj);
  };
  try {
    return synthesize();
  } finally {
    tokens.resolve = original;
  }
}

function resolveOtherSections(scope: IConstruct, obj: { [key: string]: unknown }, kept: ReadonlySet<string>): unknown {
  const keys = Object.keys(obj);
  if (keys.some(stringMayHoldToken)) return resolvePlain(scope, obj);
  const result: { [key: string]: unknown } = {};
  for (const key of keys) {
    const value = kept.has(key) ? obj[key] : resolvePlain(scope, obj[key], [key]);
    if (value !== undefined) result[key] = value;
  }
  return result;
}
