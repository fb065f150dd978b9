import { isUtf8 } from "buffer";
import { parse, ValueNode } from "@humanwhocodes/momoa";

/**
 * Reads a spec file's bytes as JSON, refusing what JSON.parse would silently change: invalid UTF-8 (it
 * would become U+FFFD) and duplicate keys (the last would win, so a VM or a whole stack would vanish).
 * A leading UTF-8 byte order mark is accepted and skipped: editors on Windows write one, and it carries
 * no content. Throws an Error whose message says where (line:column, or the key's spec path).
 */
export function parseJsonBytes(bytes: Buffer): unknown {
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  if (!isUtf8(bytes)) {
    // the decoder put U+FFFD where the first bad sequence was
    const before = text.split("\uFFFD")[0].split("\n");
    throw new Error(`not UTF-8: invalid byte sequence at line ${before.length}, column ${before[before.length - 1].length + 1}`);
  }
  let body: ValueNode;
  try {
    body = parse(text, { mode: "json" }).body;
  } catch (err) {
    throw new Error(`not valid JSON: ${(err as Error).message}`);
  }
  const duplicates = duplicateKeys(body, []);
  if (duplicates.length > 0) throw new Error(duplicates.join("\n"));
  // the text is valid and has unique keys: JSON.parse's value is the document's, "__proto__" keys included
  return JSON.parse(text);
}

/** `path: duplicate key (first at line L)` for every key an object repeats, depth first. */
function duplicateKeys(node: ValueNode, path: string[]): string[] {
  if (node.type === "Array") return node.elements.flatMap((element, i) => duplicateKeys(element.value, [...path, `[${i}]`]));
  if (node.type !== "Object") return [];
  const seen = new Map<string, number>();
  return node.members.flatMap((member) => {
    const key = member.name.type === "String" ? member.name.value : member.name.name;
    const inner = [...path, path.length === 0 ? key : `.${key}`];
    const first = seen.get(key);
    if (first === undefined) seen.set(key, member.loc.start.line);
    const own = first === undefined ? [] : [`${inner.join("")}: duplicate key (first at line ${first}, again at line ${member.loc.start.line})`];
    return [...own, ...duplicateKeys(member.value, inner)];
  });
}
