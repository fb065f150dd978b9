/**
 * In Terraform's JSON syntax every string inside an attribute value is a template.
 * - "literal": no `${…}`/`%{…}` (escapes `$${`, `%%{` are literal): its value is the string itself.
 * - "expression": exactly one `${…}` and nothing else: the result keeps the expression's type,
 *   so it may stand for a number, bool, list or object.
 * - "template": anything else with interpolations or directives: the result is always a string.
 */
export type StringKind = "literal" | "expression" | "template";

export function classifyString(s: string): StringKind {
  let sequences = 0;
  let literalText = false;
  let firstIsInterpolation = false;
  for (let i = 0; i < s.length; ) {
    if (s.startsWith("$${", i) || s.startsWith("%%{", i)) {
      literalText = true;
      i += 3;
    } else if (s.startsWith("${", i) || s.startsWith("%{", i)) {
      const end = skipExpression(s, i + 2);
      // An unterminated sequence is an HCL syntax error, not a template; leave it to the literal checks.
      if (end < 0) return "literal";
      if (sequences === 0) firstIsInterpolation = s[i] === "$";
      sequences += 1;
      i = end;
    } else {
      literalText = true;
      i += 1;
    }
  }
  if (sequences === 0) return "literal";
  return sequences === 1 && !literalText && firstIsInterpolation ? "expression" : "template";
}

/** Index just past the `}` closing an expression that starts at `i`, or -1. Quoted strings may nest templates. */
function skipExpression(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '"') {
      i = skipQuoted(s, i + 1);
      if (i < 0) return -1;
      continue;
    }
    if (c === "{") depth += 1;
    if (c === "}") {
      if (depth === 0) return i + 1;
      depth -= 1;
    }
    i += 1;
  }
  return -1;
}

function skipQuoted(s: string, i: number): number {
  while (i < s.length) {
    if (s[i] === "\\") {
      i += 2;
      continue;
    }
    if (s[i] === '"') return i + 1;
    if (s.startsWith("$${", i) || s.startsWith("%%{", i)) {
      i += 3;
      continue;
    }
    if (s.startsWith("${", i) || s.startsWith("%{", i)) {
      i = skipExpression(s, i + 2);
      if (i < 0) return -1;
      continue;
    }
    i += 1;
  }
  return -1;
}
