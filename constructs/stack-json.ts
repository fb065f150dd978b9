import stableStringify = require("json-stable-stringify");

// An empty object or array in the sorted copy: json-stable-stringify prints `{` newline `}` (indented),
// JSON.stringify `{}`; these stand in for them and are replaced in the text. Any string holding
// "\u0000" sends the document to the library instead, so none can be mistaken for one.
const EMPTY_OBJECT = "\u0000{}";
const EMPTY_ARRAY = "\u0000[]";
// how JSON.stringify prints either, up to the brackets
const PRINTED_EMPTY = '"\\u0000';

// a key V8 orders first, numerically, whatever the insertion order: a sorted copy cannot hold it
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

class NeedsLibrary extends Error {}

/**
 * The text cdktf writes for a stack's JSON (json-stable-stringify with two spaces: keys in sorted order,
 * empty objects and arrays over two lines), byte for byte, but about twice as fast at a thousand VMs: the
 * native JSON.stringify prints a copy whose keys were inserted in sorted order. A document the copy cannot
 * represent (an array-index key, a string holding "\u0000") is printed by json-stable-stringify itself.
 */
export function stackJson(document: unknown): string {
  const sorted = new SortedCopy();
  let copy: unknown;
  try {
    copy = sorted.of(document);
  } catch (err) {
    if (err instanceof NeedsLibrary) return stableStringify(document, { space: 2 }) ?? "";
    throw err;
  }
  const text = JSON.stringify(copy, null, 2) ?? "";
  return sorted.empties === 0 ? text : expandEmpties(text);
}

/** Each printed EMPTY_OBJECT / EMPTY_ARRAY as `{` newline `}`, the closing bracket indented like its line. */
function expandEmpties(text: string): string {
  let at = text.indexOf(PRINTED_EMPTY);
  if (at < 0) return text;
  let result = "";
  let from = 0;
  while (at >= 0) {
    const lineStart = text.lastIndexOf("\n", at) + 1;
    let indentEnd = lineStart;
    while (text[indentEnd] === " ") indentEnd++;
    const open = text[at + PRINTED_EMPTY.length];
    const close = text[at + PRINTED_EMPTY.length + 1];
    result += `${text.slice(from, at)}${open}\n${text.slice(lineStart, indentEnd)}${close}`;
    from = at + PRINTED_EMPTY.length + 3; // the brackets and the closing quote
    at = text.indexOf(PRINTED_EMPTY, from);
  }
  return result + text.slice(from);
}

/**
 * What json-stable-stringify prints, as plain data: toJSON() applied, values JSON cannot hold dropped
 * from objects and null in arrays (as JSON.stringify does with them too), keys sorted.
 */
class SortedCopy {
  /** How many EMPTY_OBJECT and EMPTY_ARRAY the copy holds. */
  public empties = 0;
  private readonly ancestors: unknown[] = [];

  public of(value: unknown): unknown {
    if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
      value = (value as { toJSON: () => unknown }).toJSON();
    }
    if (typeof value === "string") {
      if (value.includes("\u0000")) throw new NeedsLibrary();
      return value;
    }
    if (typeof value !== "object" || value === null) return value;
    // a cycle: the library's TypeError
    if (this.ancestors.includes(value)) throw new NeedsLibrary();
    this.ancestors.push(value);
    let copy: unknown;
    if (Array.isArray(value)) {
      const items = new Array(value.length);
      for (let i = 0; i < value.length; i++) items[i] = this.of(value[i]);
      copy = items.length === 0 ? EMPTY_ARRAY : items;
    } else {
      const keys = Object.keys(value).sort();
      const object: { [key: string]: unknown } = {};
      let printed = 0;
      for (const key of keys) {
        if (ARRAY_INDEX.test(key) || key.includes("\u0000")) throw new NeedsLibrary();
        const item = this.of((value as { [key: string]: unknown })[key]);
        object[key] = item;
        if (item !== undefined && typeof item !== "function" && typeof item !== "symbol") printed++;
      }
      copy = printed === 0 ? EMPTY_OBJECT : object;
    }
    if (copy === EMPTY_ARRAY || copy === EMPTY_OBJECT) this.empties++;
    this.ancestors.pop();
    return copy;
  }
}
